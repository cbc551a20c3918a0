package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Against scipy 1.10.1's {@code gammaln}, {@code digamma} and {@code betaln}, printed by
 *
 * <pre>
 * /usr/bin/python3 -c "from scipy.special import gammaln, digamma, betaln
 * xs = [1e-3, 0.05, 0.3, 0.5, 0.9, 1.0, 1.5, 2.0, 3.7, 9.99, 10.0, 25.5, 170.3, 1234.5, 1e5]
 * print([repr(float(gammaln(x))) for x in xs]); print([repr(float(digamma(x))) for x in xs])
 * print([repr(float(betaln(a, b))) for a, b in
 *     [(1.0, 0.05), (3.5, 120.25), (1001.0, 2.5), (0.3, 0.7)]])"
 * </pre>
 */
class GammaFunctionsTest {

  private static final double[] X =
      {1e-3, 0.05, 0.3, 0.5, 0.9, 1.0, 1.5, 2.0, 3.7, 9.99, 10.0, 25.5, 170.3, 1234.5, 1e5};
  private static final double[] GAMMALN = {6.907178885383853, 2.968879201051731,
      1.0957979948180756, 0.5723649429247, 0.06637623973474327, 0.0, -0.12078223763524526, 0.0,
      1.428072326665388, 12.779315214350195, 12.801827480081469, 56.38916764371994,
      702.9773854513281, 7550.550901077894, 1051287.7089736569};
  private static final double[] DIGAMMA = {-1000.5755719318103, -20.49784499129987,
      -3.502524222200133, -1.9635100260214235, -0.7549269499470516, -0.5772156649015329,
      0.03648997397857652, 0.42278433509846713, 1.1671535393615113, 2.250700372831201,
      2.251752589066721, 3.2189424728839198, 5.134622719020004, 7.1180162318279985,
      11.512920464961896};

  @Test
  void logGammaAndDigammaMatchScipy() {
    for (int i = 0; i < X.length; i++) {
      assertEquals(GAMMALN[i], GammaFunctions.logGamma(X[i]),
          1e-13 * Math.max(1.0, Math.abs(GAMMALN[i])), "gammaln(" + X[i] + ")");
      assertEquals(DIGAMMA[i], GammaFunctions.digamma(X[i]),
          1e-13 * Math.max(1.0, Math.abs(DIGAMMA[i])), "digamma(" + X[i] + ")");
    }
  }

  @Test
  void logBetaMatchesScipy() {
    assertEquals(2.995732273553991, GammaFunctions.logBeta(1.0, 0.05), 1e-13);
    assertEquals(-15.59861517527163, GammaFunctions.logBeta(3.5, 120.25), 1e-12);
    assertEquals(-16.98907595835044, GammaFunctions.logBeta(1001.0, 2.5), 1e-11);
    assertEquals(1.3566652413497424, GammaFunctions.logBeta(0.3, 0.7), 1e-13);
  }

  @Test
  void refusesNonPositiveArguments() {
    assertThrows(IllegalArgumentException.class, () -> GammaFunctions.logGamma(0.0));
    assertThrows(IllegalArgumentException.class, () -> GammaFunctions.digamma(-1.0));
  }
}
