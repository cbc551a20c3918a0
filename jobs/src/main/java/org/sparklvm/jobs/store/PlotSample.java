package org.sparklvm.jobs.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.sparklvm.core.linalg.PrincipalAxes;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;

/**
 * What a model's data pictures are drawn from, kept in the model directory ({@code
 * plots/sample.json}) so that {@code lvm plot} can redraw them without the training data: a sample
 * of rows reduced to 2-D points (principal axes of the rows, or of a VAE's latent means), with each
 * point's group (a mixture's cluster) or label, and a value (a mixture's log-density). Raw rows are
 * kept only for image VAEs' reconstruction grid, a handful of them.
 *
 * @param axes the projection to 2-D; null when the points are the coordinates themselves
 * @param x first coordinate of each point
 * @param y second coordinate of each point
 * @param groups each point's cluster, or null
 * @param labels each point's label (a label column), or null
 * @param values each point's log-density, or null
 * @param inputs rows whose reconstructions are drawn, or null
 * @param imageShape height and width of image rows, or null
 */
public record PlotSample(PrincipalAxes axes, double[] x, double[] y, int[] groups, String[] labels,
    double[] values, double[][] inputs, int[] imageShape) {

  /** Rows drawn for a fit's data pictures. */
  public static final int ROWS = 2000;
  /** The folder of a model directory that holds its pictures. */
  public static final String DIRECTORY = "plots";
  /** Where the sample lives inside a model directory. */
  public static final String FILE = DIRECTORY + "/sample.json";

  public String toJson() {
    try {
      return ModelMetadata.JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @throws ModelFormatException naming the file when it does not parse
   */
  public static PlotSample fromJson(String json, String where) {
    try {
      return ModelMetadata.JSON.readValue(json, PlotSample.class);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(where + ": " + FILE + " is not a plot sample: "
          + e.getOriginalMessage(), e);
    }
  }
}
