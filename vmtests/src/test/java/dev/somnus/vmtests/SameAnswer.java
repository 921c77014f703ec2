package dev.somnus.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compares two agents' replies to one command as a host's JSON parser would see them, and more
 * strictly: the same members in the same order (qemu-ga's QDict order, which Somnus's writer
 * reproduces), the same JSON types (an integer is not a float), the same strings and numbers - except
 * the volatile figures a rule names, whose numbers may differ by at most that rule's tolerance.
 */
final class SameAnswer {

    /** Numbers at paths matching {@code path} (a regex over e.g. {@code $[1].statistics.rx-bytes}) may differ by {@code tolerance}. */
    record Volatile(Pattern path, double tolerance) {

        static Volatile at(String regex, double tolerance) {
            return new Volatile(Pattern.compile(regex), tolerance);
        }
    }

    private SameAnswer() {
    }

    /** Every difference in words, empty if the replies are the same under the rules. */
    static List<String> differences(JsonNode somnus, JsonNode qemuGa, List<Volatile> rules) {
        List<String> found = new ArrayList<>();
        compare("$", somnus, qemuGa, rules, found);
        return found;
    }

    private static void compare(String path, JsonNode ours, JsonNode theirs, List<Volatile> rules, List<String> found) {
        if (ours.getNodeType() != theirs.getNodeType() || ours.isIntegralNumber() != theirs.isIntegralNumber()) {
            found.add(path + ": Somnus " + ours + ", qemu-ga " + theirs);
            return;
        }
        if (ours.isObject()) {
            List<String> ourNames = names(ours);
            List<String> theirNames = names(theirs);
            if (!ourNames.equals(theirNames)) {
                found.add(path + ": members Somnus " + ourNames + ", qemu-ga " + theirNames);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> member = it.next();
                if (theirs.has(member.getKey())) {
                    compare(path + "." + member.getKey(), member.getValue(), theirs.get(member.getKey()), rules, found);
                }
            }
        } else if (ours.isArray()) {
            if (ours.size() != theirs.size()) {
                found.add(path + ": " + ours.size() + " elements from Somnus, " + theirs.size() + " from qemu-ga: Somnus "
                        + ours + ", qemu-ga " + theirs);
                return;
            }
            for (int i = 0; i < ours.size(); i++) {
                compare(path + "[" + i + "]", ours.get(i), theirs.get(i), rules, found);
            }
        } else if (ours.isNumber()) {
            double tolerance = rules.stream().filter(r -> r.path().matcher(path).matches())
                    .mapToDouble(Volatile::tolerance).max().orElse(0);
            boolean same = tolerance == 0 ? ours.equals(theirs) : Math.abs(ours.asDouble() - theirs.asDouble()) <= tolerance;
            if (!same) {
                found.add(path + ": Somnus " + ours + ", qemu-ga " + theirs + (tolerance == 0 ? "" : " (tolerance " + tolerance + ")"));
            }
        } else if (!ours.equals(theirs)) {
            found.add(path + ": Somnus " + ours + ", qemu-ga " + theirs);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
