package org.sparklvm.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sparklvm.core.settings.Setting;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Options made from {@link Setting} declarations: name, type, default, description and valid values
 * all come from the declaration, and a value out of range fails the parse (exit 2, naming the option
 * and its range). A command lists its declared settings in a subclass named by {@code @Command(
 * modelTransformer = ...)} and reads them with {@link #value} or as a {@link Setting.Values}.
 */
abstract class DeclaredOptions implements IModelTransformer {

  private final List<Setting<?>> settings;
  private final Set<Setting<?>> required;
  private final Set<Setting<?>> several;

  /**
   * @param settings the command's options
   * @param required those the command asks for rather than assuming the default
   * @param several those given as a comma-separated list of values, each checked
   */
  DeclaredOptions(List<Setting<?>> settings, Set<Setting<?>> required, Set<Setting<?>> several) {
    this.settings = settings;
    this.required = required;
    this.several = several;
  }

  DeclaredOptions(List<Setting<?>> settings, Set<Setting<?>> required) {
    this(settings, required, Set.of());
  }

  @Override
  public CommandSpec transform(CommandSpec spec) {
    settings.forEach(s -> spec.addOption(option(s, required.contains(s), several.contains(s))));
    return spec;
  }

  private static OptionSpec option(Setting<?> s, boolean required, boolean several) {
    Class<?> element = s.type() == int[].class ? Integer.class : s.type();
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
        .required(required)
        .description(s.description() + (several ? ", comma separated" : "")
            + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    if (several || s.type() == int[].class) {
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
      String problem = s.problem(element == Integer.class && s.type() == int[].class
          ? new int[] {(Integer) value} : value);
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
   * not offer as one value (none, or a list) has its declared default.
   */
  static Setting.Values of(CommandSpec spec) {
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
