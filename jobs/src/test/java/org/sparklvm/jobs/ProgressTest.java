package org.sparklvm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void timeLeftIsTheMeanStepTimesTheStepsLeft() {
    Progress p = new Progress(10);
    assertEquals("1m30s", p.step(10));
    assertEquals("1m28s", p.step(12)); // mean 11 s, 8 steps left
    assertEquals("2h02m", Progress.duration(7325));
    assertEquals("45s", Progress.duration(44.6));
  }
}
