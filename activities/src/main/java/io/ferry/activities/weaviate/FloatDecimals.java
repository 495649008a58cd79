package io.ferry.activities.weaviate;

/**
 * Writes a float as a JSON number that parses back to the same float32, without a String per
 * number: nine significant digits (enough for any float to round-trip), trailing zeros dropped.
 *
 * <p>Why nine digits suffice even with the double arithmetic below: the scaled value carries a
 * relative error under 1e-15, so the digits are the correctly rounded ones or one off in the ninth
 * place. Either way the decimal lies within 1e-8 of the float relative to its size, while the float
 * owns every number within 2^-25 (about 3e-8) of itself relative to its size; so Weaviate's parser
 * (and any correctly rounding one) lands on the same float32.
 */
final class FloatDecimals {

  /** The longest a number written here can be: "-1.23456789E-45". */
  static final int MAX_LENGTH = 15;

  /** 1e0 to 1e32, each the double nearest to it (exact up to 1e22). */
  private static final double[] POWERS = new double[33];

  static {
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = Double.parseDouble("1e" + i);
    }
  }

  private FloatDecimals() {}

  /**
   * Writes {@code value} at {@code at} in ASCII and returns the position after it.
   *
   * @throws IllegalArgumentException for NaN and infinities, which JSON has no number for
   */
  static int write(float value, byte[] out, int at) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(value + " is not a JSON number");
    }
    if (Float.floatToRawIntBits(value) < 0) {
      out[at++] = '-';
    }
    double magnitude = Math.abs((double) value);
    if (magnitude == 0) {
      out[at++] = '0';
      out[at++] = '.';
      out[at++] = '0';
      return at;
    }
    int exponent = (int) Math.floor(Math.log10(magnitude));
    long digits = Math.round(scale(magnitude, 8 - exponent));
    if (digits >= 1_000_000_000L) { // log10 rounded up across a power of ten
      exponent++;
      digits = Math.round(scale(magnitude, 8 - exponent));
    } else if (digits < 100_000_000L) { // rounded down across one
      exponent--;
      digits = Math.round(scale(magnitude, 8 - exponent));
      if (digits >= 1_000_000_000L) { // nine nines rounded up: the power of ten itself
        exponent++;
        digits = 100_000_000L;
      }
    }
    int length = 9;
    while (digits % 10 == 0) {
      digits /= 10;
      length--;
    }
    if (exponent >= 0 && exponent < 9) {
      return plain(digits, length, exponent + 1, out, at);
    }
    if (exponent < 0 && exponent >= -3) {
      out[at++] = '0';
      out[at++] = '.';
      for (int z = -1; z > exponent; z--) {
        out[at++] = '0';
      }
      return digitsAt(digits, length, out, at);
    }
    // d.dddE-n: one digit, the rest after the point
    at = plain(digits, length, 1, out, at);
    out[at++] = 'E';
    if (exponent < 0) {
      out[at++] = '-';
      exponent = -exponent;
    }
    if (exponent >= 10) {
      out[at++] = (byte) ('0' + exponent / 10);
    }
    out[at++] = (byte) ('0' + exponent % 10);
    return at;
  }

  /** {@code magnitude * 10^power}; floats need power from -31 to 54. */
  private static double scale(double magnitude, int power) {
    if (power < -32) {
      return magnitude / POWERS[32] / POWERS[-power - 32];
    }
    if (power < 0) {
      return magnitude / POWERS[-power];
    }
    if (power < POWERS.length) {
      return magnitude * POWERS[power];
    }
    return magnitude * POWERS[32] * POWERS[power - 32];
  }

  /** The digits with a point after the first {@code whole} of them (zeros fill to it), "12.5". */
  private static int plain(long digits, int length, int whole, byte[] out, int at) {
    int end = digitsAt(digits, length, out, at);
    if (length <= whole) {
      for (int z = length; z < whole; z++) {
        out[end++] = '0';
      }
      out[end++] = '.';
      out[end++] = '0';
      return end;
    }
    System.arraycopy(out, at + whole, out, at + whole + 1, length - whole);
    out[at + whole] = '.';
    return end + 1;
  }

  private static int digitsAt(long digits, int length, byte[] out, int at) {
    for (int i = at + length - 1; i >= at; i--) {
      out[i] = (byte) ('0' + digits % 10);
      digits /= 10;
    }
    return at + length;
  }
}
