package org.sparklvm.jobs;

/**
 * Bad input from the user (data, paths, options): the command line exits with code 2 and prints the
 * message, which names the problem (column, row, value, path).
 */
public class UserInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
