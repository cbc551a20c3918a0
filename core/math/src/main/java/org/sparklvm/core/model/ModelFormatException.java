package org.sparklvm.core.model;

/** A model directory that cannot be read: missing or corrupt files, another format, a newer version. */
public final class ModelFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
