package org.sparklvm.ml;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import org.sparklvm.core.settings.Setting;
import scala.runtime.AbstractFunction1;

/**
 * Spark ML parameters made from {@link Setting} declarations: the parameter's name, its doc (the
 * description and the valid values), its validator and its default all come from the declaration,
 * as the command line's options do.
 */
interface DeclaredParams extends Params {

  static IntParam intParam(Identifiable parent, Setting<Integer> s) {
    return new IntParam(parent, s.param(), doc(s), new Validator<>(s));
  }

  static LongParam longParam(Identifiable parent, Setting<Long> s) {
    return new LongParam(parent, s.param(), doc(s), new Validator<>(s));
  }

  static DoubleParam doubleParam(Identifiable parent, Setting<Double> s) {
    return new DoubleParam(parent, s.param(), doc(s), new Validator<>(s));
  }

  static Param<String> stringParam(Identifiable parent, Setting<String> s) {
    return new Param<>(parent, s.param(), doc(s), new Validator<>(s));
  }

  static IntArrayParam intArrayParam(Params parent, Setting<int[]> s) {
    return new IntArrayParam(parent, s.param(), doc(s), new Validator<>(s));
  }

  static DoubleArrayParam doubleArrayParam(Params parent, Setting<double[]> s) {
    return new DoubleArrayParam(parent, s.param(), doc(s), new Validator<>(s));
  }

  private static String doc(Setting<?> s) {
    return s.description() + (s.restricted() ? " (" + s.validValues() + ")" : "");
  }

  /**
   * Sets every declared default; call once all the parameters exist (Spark ML finds them through
   * their accessors).
   */
  default void declareDefaults(List<Setting<?>> settings) {
    for (Setting<?> s : settings) {
      if (s.defaultValue() != null) {
        setDefault(getParam(s.param()), s.defaultValue());
      }
    }
  }

  /** The value of a declared setting: set, or else its default; null when it has neither. */
  default <T> T declared(Setting<T> s) {
    Param<Object> p = getParam(s.param());
    return isDefined(p) ? s.type().cast(getOrDefault(p)) : null;
  }

  /** The declared settings as values the settings records read. */
  default Setting.Values declaredValues() {
    return this::declared;
  }

  /** A Spark ML validator that asks the declaration. */
  final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {

    private static final long serialVersionUID = 1L;
    private final Setting<?> setting;

    Validator(Setting<?> setting) {
      this.setting = setting;
    }

    @Override
    public Object apply(T value) {
      return setting.accepts(value);
    }
  }
}
