package io.rbee.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of measurements of one quantity: its median, percentiles and range. Machines
 * here are noisy, so results are reported as medians of several runs, with the range beside
 * them, never as one run.
 */
public final class Samples {
  private final double[] sorted;

  private Samples(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public static Samples of(double... values) {
    return new Samples(values);
  }

  public static Samples of(Collection<? extends Number> values) {
    return new Samples(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  public int size() {
    return sorted.length;
  }

  /** The median (mean of the two middle values for an even count); NaN when empty. */
  public double median() {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The {@code p}-th percentile (0..100) by the nearest-rank method: the smallest value that at
   * least {@code p}% of the values do not exceed. NaN when empty.
   */
  public double percentile(double p) {
    if (p < 0 || p > 100) {
      throw new IllegalArgumentException("p must be 0..100, got " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }

  /** The values in ascending order. */
  public List<Double> values() {
    List<Double> out = new ArrayList<>(sorted.length);
    for (double v : sorted) {
      out.add(v);
    }
    return out;
  }
}
