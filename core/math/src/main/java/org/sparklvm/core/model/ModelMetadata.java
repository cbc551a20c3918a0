package org.sparklvm.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code metadata.json} of a model directory: what the model is ({@code format}, {@code
 * formatVersion}, {@code class}), how it was fitted ({@code params}), what the fit reached ({@code
 * summary}) and where it came from ({@code provenance}).
 *
 * @param format model family, e.g. {@code spark-lvm/gmm}
 * @param formatVersion version of that family's layout; loaders refuse newer ones
 * @param className the class that wrote it
 * @param params hyper-parameters
 * @param summary results of the fit
 * @param provenance input, rows, seed, library versions, time
 */
public record ModelMetadata(
    String format,
    int formatVersion,
    String className,
    ObjectNode params,
    ObjectNode summary,
    ObjectNode provenance) {

  /** The one mapper for model files; fields a reader does not know (a newer writer's) are skipped. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The vector column the model was fitted on ({@code params.featuresCol}), or null. */
  public String featuresCol() {
    JsonNode n = params.path("featuresCol");
    return n.isTextual() ? n.textValue() : null;
  }

  /** The numeric columns the model was fitted on ({@code params.featureCols}), or empty. */
  public List<String> featureCols() {
    List<String> cols = new ArrayList<>();
    params.path("featureCols").forEach(n -> cols.add(n.asText()));
    return cols;
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", format);
    root.put("formatVersion", formatVersion);
    root.put("class", className);
    root.set("params", params);
    root.set("summary", summary);
    root.set("provenance", provenance);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses and checks {@code metadata.json}.
   *
   * @param expectedFormat the family the caller can load
   * @param newestVersion the newest {@code formatVersion} the caller understands
   * @param where the file, for messages
   * @throws ModelFormatException when the text is not JSON, a field is missing, the format is another
   *     family or the version is newer than {@code newestVersion}
   */
  public static ModelMetadata parse(
      String text, String expectedFormat, int newestVersion, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(where + " does not hold a JSON object");
    }
    String format = requireText(root, "format", where);
    if (!format.equals(expectedFormat)) {
      throw new ModelFormatException(
          where + " holds a '" + format + "' model, expected '" + expectedFormat + "'");
    }
    JsonNode version = root.get("formatVersion");
    if (version == null || !version.isInt()) {
      throw new ModelFormatException(where + " has no integer formatVersion");
    }
    if (version.intValue() > newestVersion) {
      throw new ModelFormatException(
          where + " has formatVersion " + version.intValue() + ", newer than the " + newestVersion
              + " this version of spark-lvm reads; upgrade spark-lvm to load it");
    }
    if (version.intValue() < 1) {
      throw new ModelFormatException(where + " has formatVersion " + version.intValue());
    }
    return new ModelMetadata(format, version.intValue(), requireText(root, "class", where),
        requireObject(root, "params", where), requireObject(root, "summary", where),
        requireObject(root, "provenance", where));
  }

  private static String requireText(JsonNode root, String field, String where) {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual()) {
      throw new ModelFormatException(where + " has no text field '" + field + "'");
    }
    return n.textValue();
  }

  private static ObjectNode requireObject(JsonNode root, String field, String where) {
    JsonNode n = root.get(field);
    if (n == null || !n.isObject()) {
      throw new ModelFormatException(where + " has no object '" + field + "'");
    }
    return (ObjectNode) n;
  }
}
