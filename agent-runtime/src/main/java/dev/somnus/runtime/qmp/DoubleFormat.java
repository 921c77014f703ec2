package dev.somnus.runtime.qmp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.17g")}, which qemu's JSON writer uses for every double (qga-reference §1.2):
 * 17 significant digits, correctly rounded (ties to even on the exact binary value, like glibc);
 * fixed notation when the decimal exponent X satisfies -4 ≤ X < 17, else {@code d.ddde±XX} with at
 * least two exponent digits; trailing zeros and a bare decimal point removed. Infinities print as
 * {@code inf}/{@code -inf} and NaN as {@code nan} — not valid JSON, but what qemu-ga sends.
 * ({@code String.format("%.17g")} keeps trailing zeros, hence this class.)
 */
public final class DoubleFormat {

    private static final int PRECISION = 17;
    private static final MathContext SIGNIFICANT = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private DoubleFormat() {
    }

    public static String format(double d) {
        if (Double.isNaN(d)) {
            // glibc prints the sign bit of a NaN
            return (Double.doubleToRawLongBits(d) < 0) ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        boolean negative = (Double.doubleToRawLongBits(d) < 0);
        if (d == 0) {
            return negative ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).abs().round(SIGNIFICANT);
        BigInteger unscaled = rounded.unscaledValue();
        String digits = unscaled.toString();
        // strip trailing zeros: %g drops them anyway, and they do not move the exponent
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        int exponent = digits.length() - 1 - rounded.scale();
        digits = digits.substring(0, end);

        StringBuilder out = new StringBuilder(32);
        if (negative) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < PRECISION) {
            if (exponent >= 0) {
                if (digits.length() <= exponent + 1) {
                    out.append(digits);
                    for (int k = digits.length(); k <= exponent; k++) {
                        out.append('0');
                    }
                } else {
                    out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
                }
            } else {
                out.append("0.");
                for (int k = -1; k > exponent; k--) {
                    out.append('0');
                }
                out.append(digits);
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}
