package org.sparklvm.jobs.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;

/**
 * The files every model directory holds, on any Hadoop file system: {@code metadata.json}, and the
 * plot sample its pictures are drawn from.
 */
public final class ModelFiles {

  private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

  public static final String METADATA = "metadata.json";

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
    return ModelMetadata.parse(read(conf, file, dir), format, newest, file.toString());
  }

  /**
   * The {@code format} named in a model directory's metadata ({@code spark-lvm/gmm}, {@code
   * spark-lvm/vae}).
   *
   * @throws ModelFormatException when there is no readable metadata naming a format
   */
  public static String format(Configuration conf, String dir) {
    Path file = new Path(dir, METADATA);
    try {
      JsonNode node = ModelMetadata.JSON.readTree(read(conf, file, dir));
      if (!node.path("format").isTextual()) {
        throw new ModelFormatException(file + " names no format");
      }
      return node.get("format").asText();
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  static void writePlotSample(Configuration conf, Path dir, PlotSample sample) throws IOException {
    if (sample != null) {
      try (OutputStream out =
          raw(dir.getFileSystem(conf)).create(new Path(dir, PlotSample.FILE), false)) {
        out.write(sample.toJson().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * The sample a model's data pictures are drawn from, or null when it has none (a model written
   * before pictures existed) or it cannot be read: pictures are not worth refusing a model for.
   */
  static PlotSample readPlotSample(Configuration conf, String dir) {
    Path file = new Path(dir, PlotSample.FILE);
    try {
      if (!raw(file.getFileSystem(conf)).exists(file)) {
        return null;
      }
      return PlotSample.fromJson(read(conf, file, dir), dir);
    } catch (IOException | ModelFormatException e) {
      LOG.warn("model {}: no pictures of its data ({})", dir, e.getMessage());
      return null;
    }
  }

  private static String read(Configuration conf, Path file, String dir) {
    try (InputStream in = raw(file.getFileSystem(conf)).open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      throw new ModelFormatException("model " + dir + " has no " + file.getName()
          + " (is it a spark-lvm model directory?)", e);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The local file system without its {@code .crc} side files, so that metadata.json can be read
   * after a person edits or copies it; HDFS and object stores check their own data.
   */
  public static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }
}
