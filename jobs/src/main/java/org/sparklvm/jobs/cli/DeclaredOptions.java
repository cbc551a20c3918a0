package org.sparklvm.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparklvm.core.settings.Setting;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Options made from {@link Setting} declarations: name, type, default, description and valid values
 * all come from the declaration, and a value out of range fails the parse (exit 2, naming the option
 * and its range). A command lists its declared settings in a subclass named by {@code @Command(
 * modelTransformer = ...)} and reads them with {@link #value} or as a {@link Setting.Values}. An
 * option may be required unless another is given (whose meaning then supplies the value: {@code gmm
 * fit --k} unless {@code --init-model}): it has no default, and {@link #of} refuses a command line
 * with neither, as the parser refuses a missing required option.
 */
abstract class DeclaredOptions implements IModelTransformer {

  private final List<Setting<?>> settings;
  private final Set<Setting<?>> required;
  private final Set<Setting<?>> several;
  private final Map<Setting<?>, String> requiredUnless;

  /**
   * @param settings the command's options
   * @param required those the command asks for rather than assuming the default
   * @param several those given as a comma-separated list of values, each checked
   * @param requiredUnless those the command asks for unless the option named beside them is given
   */
  DeclaredOptions(List<Setting<?>> settings, Set<Setting<?>> required, Set<Setting<?>> several,
      Map<Setting<?>, String> requiredUnless) {
    this.settings = settings;
    this.required = required;
    this.several = several;
    this.requiredUnless = Map.copyOf(requiredUnless);
  }

  DeclaredOptions(List<Setting<?>> settings, Set<Setting<?>> required, Set<Setting<?>> several) {
    this(settings, required, several, Map.of());
  }

  DeclaredOptions(List<Setting<?>> settings, Set<Setting<?>> required) {
    this(settings, required, Set.of());
  }

  @Override
  public CommandSpec transform(CommandSpec spec) {
    settings.forEach(s -> spec.addOption(option(s, required.contains(s), several.contains(s),
        requiredUnless.get(s))));
    return spec;
  }

  /**
   * The option whose presence makes {@code setting} optional on {@code spec}'s command line, or null
   * when there is none.
   */
  static String requiredUnless(CommandSpec spec, Setting<?> setting) {
    return spec.modelTransformer() instanceof DeclaredOptions d ? d.requiredUnless.get(setting)
        : null;
  }

  private static OptionSpec option(Setting<?> s, boolean alwaysRequired, boolean several,
      String unless) {
    // Asked for, but not by the parser: whether it is missing depends on another option.
    boolean required = alwaysRequired || unless != null;
    Class<?> element = s.type() == int[].class ? Integer.class
        : s.type() == double[].class ? Double.class : s.type();
    List<String> notes = new ArrayList<>();
    if (s.restricted()) {
      notes.add(s.validValues());
    }
    if (!required && s.defaultValue() != null) {
      notes.add("default: ${DEFAULT-VALUE}");
    }
    OptionSpec.Builder b = OptionSpec.builder(s.option())
        .userObject(s)
        .paramLabel("<" + (s.param() != null ? s.param() : s.option().substring(2)) + ">")
        .type(several ? String[].class : s.type())
        .converters(converter(s, element))
        .required(alwaysRequired)
        .description(s.description() + (several ? ", comma separated" : "")
            + (unless == null ? "" : ", required unless " + unless + " is given")
            + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    if (several || s.list()) {
      b.splitRegex(",");
    }
    if (!required && s.defaultValue() != null) {
      b.defaultValue(s.defaultText());
    }
    return b.build();
  }

  /** Parses one value and checks it against the declaration (each element, for a list). */
  private static ITypeConverter<Object> converter(Setting<?> s, Class<?> element) {
    return text -> {
      Object value;
      try {
        value = element == Integer.class ? Integer.valueOf(text.trim())
            : element == Long.class ? Long.valueOf(text.trim())
            : element == Double.class ? Double.valueOf(text.trim())
            : text.trim();
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'" + text + "' is not " + (element == Double.class ? "a number" : "an integer"));
      }
      String problem = s.problem(s.type() == int[].class ? new int[] {(Integer) value}
          : s.type() == double[].class ? new double[] {(Double) value} : value);
      if (problem != null) {
        throw new TypeConversionException(problem);
      }
      return value;
    };
  }

  /**
   * The value of a declared option of {@code spec}'s command.
   *
   * @throws IllegalStateException when the command does not declare it
   */
  static <T> T value(CommandSpec spec, Setting<T> setting) {
    return setting.type().cast(declared(spec, setting).getValue());
  }

  /** The value of a declared option when it is on the command line, else null (not its default). */
  static <T> T given(CommandSpec spec, Setting<T> setting) {
    OptionSpec o = declared(spec, setting);
    return spec.commandLine().getParseResult().hasMatchedOption(o) ? value(spec, setting) : null;
  }

  /** The values of a declared list option ({@code several}). */
  static List<String> values(CommandSpec spec, Setting<String> setting) {
    return List.of((String[]) declared(spec, setting).getValue());
  }

  private static OptionSpec declared(CommandSpec spec, Setting<?> setting) {
    OptionSpec o = spec.findOption(setting.option());
    if (o == null || o.userObject() != setting) {
      throw new IllegalStateException(spec.qualifiedName() + " does not declare " + setting.label());
    }
    return o;
  }

  /**
   * The command's declared options as values the settings records read; a setting the command does
   * not offer as one value (none, or a list) has its declared default, and so has one required
   * unless another option is given, when that option is.
   *
   * @throws MissingParameterException when an option required unless another is given is missing
   *     and so is the other
   */
  static Setting.Values of(CommandSpec spec) {
    if (spec.modelTransformer() instanceof DeclaredOptions d) {
      d.requiredUnless.forEach((s, other) -> {
        OptionSpec o = declared(spec, s);
        if (o.getValue() == null && !spec.commandLine().getParseResult().hasMatchedOption(other)) {
          throw new MissingParameterException(spec.commandLine(), o, "Missing required option: '"
              + s.option() + "=" + o.paramLabel() + "' (unless " + other + " is given)");
        }
      });
    }
    return new Setting.Values() {
      @Override
      public <T> T get(Setting<T> setting) {
        OptionSpec o = spec.findOption(setting.option());
        Object value = o != null && o.userObject() == setting ? o.getValue() : null;
        return setting.type().isInstance(value) ? setting.type().cast(value)
            : setting.defaultValue();
      }
    };
  }
}
