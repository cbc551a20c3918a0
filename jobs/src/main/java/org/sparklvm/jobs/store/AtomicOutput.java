package org.sparklvm.jobs.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
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
   * Fails early, before any work, when {@code target} exists and {@code overwrite} is false, or
   * when it cannot be created because one of its ancestors is a file. Uses only the FileSystem API,
   * so it holds on any Hadoop file system.
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
      Path file = existingFileAbove(fs, fs.makeQualified(path));
      if (file != null) {
        throw new UserInputException("output " + target + " cannot be created: " + file
            + " is a file, not a directory");
      }
    } catch (IOException e) {
      throw new UserInputException("cannot check output " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * The nearest existing ancestor of {@code path} when it is a file (nothing can be created under
   * it), or null when that ancestor is a directory or none exists.
   */
  private static Path existingFileAbove(FileSystem fs, Path path) throws IOException {
    for (Path p = path.getParent(); p != null; p = p.getParent()) {
      FileStatus status;
      try {
        status = fs.getFileStatus(p);
      } catch (FileNotFoundException e) {
        continue;
      } catch (ParentNotDirectoryException e) {
        // Some file systems answer a lookup below a file with this instead of "not found".
        continue;
      }
      return status.isFile() ? p : null;
    }
    return null;
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
