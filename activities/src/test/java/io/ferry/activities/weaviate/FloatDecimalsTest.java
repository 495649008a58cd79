package io.ferry.activities.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatDecimalsTest {

  private static String text(float value) {
    byte[] out = new byte[FloatDecimals.MAX_LENGTH];
    int end = FloatDecimals.write(value, out, 0);
    return new String(out, 0, end, StandardCharsets.US_ASCII);
  }

  private static void assertRoundTrip(float value) {
    String text = text(value);
    assertThat(Float.floatToRawIntBits(Float.parseFloat(text)))
        .as("%s (bits %08x) written as %s", value, Float.floatToRawIntBits(value), text)
        .isEqualTo(Float.floatToRawIntBits(value));
  }

  @Test
  void everyFloatOfTwoMillionRandomBitPatternsParsesBackToItself() {
    SplittableRandom random = new SplittableRandom(20261130);
    int checked = 0;
    while (checked < 2_000_000) {
      float value = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(value)) {
        assertRoundTrip(value);
        checked++;
      }
    }
  }

  @Test
  void unitVectorComponentsRoundTripAsWrittenForWeaviate() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000_000; i++) {
      assertRoundTrip((float) (random.nextDouble() * 2 - 1));
      assertRoundTrip((float) ((random.nextDouble() - 0.5) * 1e-3));
    }
  }

  @Test
  void edgesPowersOfTenAndTheirNeighboursRoundTrip() {
    float[] edges = {
      0f,
      -0f,
      1f,
      -1f,
      0.5f,
      0.1f,
      1e-3f,
      9.999999e-4f,
      1e-4f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      123456789f,
      999999999f,
      1e9f,
      16777216f
    };
    for (float e : edges) {
      assertRoundTrip(e);
    }
    for (int p = -45; p <= 38; p++) {
      float power = Float.parseFloat("1e" + p);
      assertRoundTrip(power);
      assertRoundTrip(Math.nextUp(power));
      assertRoundTrip(Math.nextDown(power));
    }
  }

  @Test
  void writesPlainDecimalsForVectorSizedNumbersAndExponentsOtherwise() {
    assertThat(text(0.25f)).isEqualTo("0.25");
    assertThat(text(-0.0123f)).isEqualTo("-0.0122999996"); // nine digits, not the shortest
    assertThat(text(0.001953125f)).isEqualTo("0.001953125");
    assertThat(text(1f)).isEqualTo("1.0");
    assertThat(text(120f)).isEqualTo("120.0");
    assertThat(text(12.5f)).isEqualTo("12.5");
    assertThat(text(-0f)).isEqualTo("-0.0");
    assertThat(text(0f)).isEqualTo("0.0");
    assertThat(text(0x1p-15f)).isEqualTo("3.05175781E-5");
    assertThat(text(0x1p70f)).isEqualTo("1.18059162E21");
  }

  @Test
  void everyWrittenNumberIsValidJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      float value = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(value)) {
        assertThat(json.readTree(text(value)).isNumber()).as(text(value)).isTrue();
      }
    }
  }

  @Test
  void refusesWhatJsonHasNoNumberFor() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> FloatDecimals.write(bad, new byte[16], 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a JSON number");
    }
  }
}
