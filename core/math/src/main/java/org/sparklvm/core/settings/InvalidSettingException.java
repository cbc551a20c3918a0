package org.sparklvm.core.settings;

/**
 * A setting given a value outside its range: the message names the setting (option and parameter),
 * its valid values and the value, e.g. {@code --tol must be at least 0, got -1.0}.
 */
public final class InvalidSettingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient Setting<?> setting;

  InvalidSettingException(Setting<?> setting, String problem) {
    super(setting.label() + " " + problem);
    this.setting = setting;
  }

  /**
   * A refusal of a value that no single {@link Setting}'s range can judge (it depends on the data or
   * on another value, such as degrees of freedom above the dimension minus one): the message is
   * {@code option + " " + problem}, and {@link #setting()} is null.
   *
   * @param option the command-line option, {@code --degrees-of-freedom}
   * @param problem what is wrong, {@code "must be greater than dim - 1 = 3, got 2.0"}
   */
  public InvalidSettingException(String option, String problem) {
    super(option + " " + problem);
    this.setting = null;
  }

  /** The setting whose value was refused, or null when only its option was named. */
  public Setting<?> setting() {
    return setting;
  }
}
