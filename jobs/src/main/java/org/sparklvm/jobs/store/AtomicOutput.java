package org.sparklvm.jobs.store;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklvm.jobs.UserInputException;

/**
 * Writes an output directory all or nothing: into a hidden temporary sibling first, renamed into place
 * when complete, removed on failure. An existing target is refused unless overwriting is asked for.
 */
public final class AtomicOutput {

  /** Writes the contents of a directory that does not exist yet. */
  @FunctionalInterface
  public interface Writer {
    void write(Path directory) throws IOException;
  }

  private AtomicOutput() {}

  /**
   * Fails early, before any work, when {@code target} exists and {@code overwrite} is false.
   *
   * @throws UserInputException naming the path
   */
  public static void checkWritable(Configuration conf, String target, boolean overwrite) {
    try {
      Path path = new Path(target);
      FileSystem fs = path.getFileSystem(conf);
      if (!overwrite && fs.exists(path)) {
        throw new UserInputException(
            "output " + target + " already exists; pass --overwrite to replace it");
      }
    } catch (IOException e) {
      throw new UserInputException("cannot check output " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * @throws UserInputException when the target exists and {@code overwrite} is false
   * @throws IOException when writing or renaming fails (nothing is left behind)
   */
  public static void write(Configuration conf, String target, boolean overwrite, Writer writer)
      throws IOException {
    checkWritable(conf, target, overwrite);
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    Path qualified = fs.makeQualified(path);
    Path parent = qualified.getParent();
    if (parent != null && !fs.exists(parent)) {
      fs.mkdirs(parent);
    }
    Path tmp = new Path(parent, "." + qualified.getName() + ".tmp-" + UUID.randomUUID());
    try {
      writer.write(tmp);
      if (fs.exists(qualified)) {
        if (!fs.delete(qualified, true)) {
          throw new IOException("cannot remove the existing " + qualified);
        }
      }
      if (!fs.rename(tmp, qualified)) {
        throw new IOException("cannot rename " + tmp + " to " + qualified);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    }
  }
}
