package org.sparklvm.jobs.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;

/** The {@code metadata.json} every model directory holds, on any Hadoop file system. */
final class ModelFiles {

  static final String METADATA = "metadata.json";

  private ModelFiles() {}

  static void writeMetadata(Configuration conf, Path dir, ModelMetadata metadata)
      throws IOException {
    try (OutputStream out = raw(dir.getFileSystem(conf)).create(new Path(dir, METADATA), false)) {
      out.write(metadata.toJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * @throws ModelFormatException when the file is missing, unreadable, or not this format
   */
  static ModelMetadata readMetadata(Configuration conf, String dir, String format, int newest) {
    Path file = new Path(dir, METADATA);
    String text;
    try (InputStream in = raw(file.getFileSystem(conf)).open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      throw new ModelFormatException("model " + dir + " has no " + METADATA
          + " (is it a spark-lvm model directory?)", e);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return ModelMetadata.parse(text, format, newest, file.toString());
  }

  /**
   * The local file system without its {@code .crc} side files, so that metadata.json can be read
   * after a person edits or copies it; HDFS and object stores check their own data.
   */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }
}
