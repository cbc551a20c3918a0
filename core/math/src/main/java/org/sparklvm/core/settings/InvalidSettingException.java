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

  /** The setting whose value was refused. */
  public Setting<?> setting() {
    return setting;
  }
}
