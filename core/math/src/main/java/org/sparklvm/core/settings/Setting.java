package org.sparklvm.core.settings;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The one declaration of a setting: its name on the command line and as a Spark ML parameter, its
 * type, default, valid values and description. The command line's options and the Spark ML
 * parameters are made from it, and the records holding the value check it here, so a default or a
 * range is written once.
 *
 * @param option the command-line option, {@code --max-iter}
 * @param param the Spark ML parameter, {@code maxIter}; null where there is none
 * @param type Integer, Long, Double, String (one of {@code choices}), int[] or double[] (each
 *     element in {@code range})
 * @param defaultValue the value when none is given; null for none
 * @param range valid numbers (of every element, for a list); unused for String
 * @param choices valid strings; empty unless {@code type} is String
 * @param description what the setting does, one phrase without its range or default
 */
public record Setting<T>(String option, String param, Class<T> type, T defaultValue, Range range,
    List<String> choices, String description) implements Serializable {

  /** The seed every command and estimator starts from unless told otherwise. */
  public static final long DEFAULT_SEED = 42L;

  /**
   * @throws IllegalArgumentException when the declaration is incomplete or its default is outside
   *     its own range
   */
  public Setting {
    if (option == null || !option.startsWith("--") || type == null || range == null
        || choices == null || description == null) {
      throw new IllegalArgumentException("incomplete setting declaration " + option);
    }
    choices = List.copyOf(choices);
    defaultValue = copy(type, defaultValue);
    if (defaultValue != null && problem(defaultValue, range, choices) != null) {
      throw new IllegalArgumentException(option + ": default " + show(defaultValue) + " "
          + problem(defaultValue, range, choices));
    }
  }

  /** An int setting. */
  public static Setting<Integer> integer(String option, String param, Integer defaultValue,
      Range range, String description) {
    return new Setting<>(option, param, Integer.class, defaultValue, range, List.of(), description);
  }

  /** A long setting. */
  public static Setting<Long> longInteger(String option, String param, Long defaultValue,
      Range range, String description) {
    return new Setting<>(option, param, Long.class, defaultValue, range, List.of(), description);
  }

  /** A double setting; NaN and infinities are never in range. */
  public static Setting<Double> real(String option, String param, Double defaultValue,
      Range range, String description) {
    return new Setting<>(option, param, Double.class, defaultValue, range, List.of(), description);
  }

  /** A list of layer sizes, each at least 1 (none is allowed). */
  public static Setting<int[]> sizes(String option, String param, int[] defaultValue,
      String description) {
    return new Setting<>(option, param, int[].class, defaultValue, Range.atLeast(1), List.of(),
        description);
  }

  /**
   * A list of finite numbers, given comma separated ({@code --mean-prior 0,1.5}); none by default,
   * its length checked where the dimension is known.
   */
  public static Setting<double[]> reals(String option, String param, String description) {
    return new Setting<>(option, param, double[].class, null, Range.ANY, List.of(), description);
  }

  /** One of a few names, compared exactly (lower case by convention). */
  public static Setting<String> choice(String option, String param, String defaultValue,
      List<String> choices, String description) {
    return new Setting<>(option, param, String.class, defaultValue, Range.ANY, choices, description);
  }

  /** A random seed: {@code --seed}, any long, {@link #DEFAULT_SEED} by default. */
  public static Setting<Long> seed(String description) {
    return longInteger("--seed", "seed", DEFAULT_SEED, Range.ANY, description);
  }

  /** The default; a copy for arrays. */
  @Override
  public T defaultValue() {
    return copy(type, defaultValue);
  }

  /** Whether the setting holds a list of values (each checked against the range). */
  public boolean list() {
    return type == int[].class || type == double[].class;
  }

  private static <T> T copy(Class<T> type, T value) {
    return value instanceof int[] sizes ? type.cast(sizes.clone())
        : value instanceof double[] numbers ? type.cast(numbers.clone()) : value;
  }

  /**
   * @return {@code value}
   * @throws InvalidSettingException naming the setting, its range and the value, when the value is
   *     null or not valid
   */
  public T check(T value) {
    String problem = value == null ? "is required" : problem(value, range, choices);
    if (problem != null) {
      throw new InvalidSettingException(this, problem);
    }
    return value;
  }

  /** Whether {@code value} (of this setting's type) is valid. */
  public boolean accepts(Object value) {
    return type.isInstance(value) && problem(value, range, choices) == null;
  }

  /**
   * What is wrong with {@code value}, e.g. {@code "must be at least 1, got 0"}, or null when it is
   * valid.
   */
  public String problem(Object value) {
    return problem(value, range, choices);
  }

  /** Whether some values of the type are invalid (a seed takes any long). */
  public boolean restricted() {
    return !choices.isEmpty() || !range.equals(Range.ANY);
  }

  /** The valid values in words: {@code "at least 1"}, {@code "in [0, 1)"}, {@code "one of a, b"}. */
  public String validValues() {
    if (!choices.isEmpty()) {
      return "one of " + String.join(", ", choices);
    }
    return list() ? "each " + range : range.toString();
  }

  /** The option, and the parameter where its name differs: {@code --max-iter (maxIter)}. */
  public String label() {
    return param == null || option.substring(2).equals(param) ? option
        : option + " (" + param + ")";
  }

  /** The default as the command line writes it ({@code 512,256} for sizes), or null for none. */
  public String defaultText() {
    return defaultValue == null ? null : show(defaultValue);
  }

  private static String problem(Object value, Range range, List<String> choices) {
    boolean valid;
    if (value instanceof String s) {
      valid = choices.contains(s);
    } else if (value instanceof int[] sizes) {
      valid = Arrays.stream(sizes).allMatch(range::contains);
    } else if (value instanceof double[] numbers) {
      valid = Arrays.stream(numbers).allMatch(range::contains);
    } else if (value instanceof Number n) {
      valid = range.contains(n.doubleValue());
    } else {
      throw new IllegalArgumentException("no setting holds a " + value.getClass().getName());
    }
    if (valid) {
      return null;
    }
    String expected = !choices.isEmpty() ? "be one of " + String.join(", ", choices)
        : value instanceof int[] || value instanceof double[] ? "each be " + range
        : "be " + range;
    String got = value instanceof String ? "'" + value + "'" : show(value);
    return "must " + expected + ", got " + got;
  }

  private static String show(Object value) {
    if (value instanceof int[] sizes) {
      return String.join(",", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
    }
    if (value instanceof double[] numbers) {
      return String.join(",", Arrays.stream(numbers).mapToObj(Double::toString).toList());
    }
    return String.valueOf(value);
  }

  /**
   * An interval of the real line; NaN and the infinities are outside every one, so a double
   * setting is always finite.
   */
  public record Range(double min, boolean minIncluded, double max, boolean maxIncluded)
      implements Serializable {

    /** Every finite value. */
    public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false,
        Double.POSITIVE_INFINITY, false);

    public Range {
      if (Double.isNaN(min) || Double.isNaN(max) || !(min <= max)) {
        throw new IllegalArgumentException("bad range " + min + ", " + max);
      }
    }

    /** {@code [min, infinity)}. */
    public static Range atLeast(double min) {
      return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    /** {@code (min, infinity)}. */
    public static Range greaterThan(double min) {
      return new Range(min, false, Double.POSITIVE_INFINITY, false);
    }

    /** {@code [min, max)}. */
    public static Range closedOpen(double min, double max) {
      return new Range(min, true, max, false);
    }

    /** {@code (min, max)}. */
    public static Range open(double min, double max) {
      return new Range(min, false, max, false);
    }

    public boolean contains(double v) {
      return Double.isFinite(v) && (minIncluded ? v >= min : v > min)
          && (maxIncluded ? v <= max : v < max);
    }

    @Override
    public String toString() {
      boolean lower = Double.isFinite(min);
      boolean upper = Double.isFinite(max);
      if (lower && upper) {
        return "in " + (minIncluded ? "[" : "(") + number(min) + ", " + number(max)
            + (maxIncluded ? "]" : ")");
      } else if (lower) {
        return (minIncluded ? "at least " : "greater than ") + number(min);
      } else if (upper) {
        return (maxIncluded ? "at most " : "less than ") + number(max);
      }
      return "finite";
    }

    private static String number(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
  }

  /**
   * The values of some settings, as a command line or a Spark ML estimator holds them: what the
   * records' {@code from} factories read.
   */
  @FunctionalInterface
  public interface Values {
    <T> T get(Setting<T> setting);
  }
}
