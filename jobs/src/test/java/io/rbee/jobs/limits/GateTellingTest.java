package io.rbee.jobs.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTellingTest {
  /** The places a job at {@code start} is told while it moves up one place at a time. */
  private static List<Integer> toldWhileMovingUpFrom(int start) {
    List<Integer> told = new ArrayList<>();
    int last = -1;
    for (int ahead = start; ahead >= 0; ahead--) {
      if (Gate.worthTelling(last, ahead)) {
        told.add(ahead);
        last = ahead;
      }
    }
    return told;
  }

  @Test
  void aJobFarBackHearsEachTenthPlaceThenEveryPlaceOfTheLastTen() {
    assertThat(toldWhileMovingUpFrom(35))
        .containsExactly(35, 29, 19, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  }

  @Test
  void aQueueOfHundredsNarratesLinearlyNotQuadratically() {
    int total = 0;
    for (int start = 0; start < 300; start++) {
      total += toldWhileMovingUpFrom(start).size();
    }
    assertThat(total).isLessThan(300 * 40); // every place: 300 * 299 / 2 = 44,850
  }

  @Test
  void aJobThatDidNotMoveIsNotToldAgain() {
    assertThat(Gate.worthTelling(-1, 42)).isTrue();
    assertThat(Gate.worthTelling(42, 42)).isFalse();
    assertThat(Gate.worthTelling(5, 5)).isFalse();
    assertThat(Gate.worthTelling(5, 4)).isTrue();
    assertThat(Gate.worthTelling(42, 35)).isTrue(); // passed 40
    assertThat(Gate.worthTelling(39, 31)).isFalse();
  }
}
