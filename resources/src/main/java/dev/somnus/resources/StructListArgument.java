package dev.somnus.resources;

import dev.somnus.api.command.CommandException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The elements of a list-of-structs argument ({@code vcpus}, {@code mem-blks}), checked as qemu's
 * QObject input visitor checks them (qapi/qobject-input-visitor.c) before the command runs: every
 * element, in order, must be an object; its members are visited in declaration order ("is missing",
 * "Invalid parameter type", uint64's "expects uint64"); then a member nobody declared is
 * "unexpected". Names are the visitor's full names, {@code vcpus[0].logical-id}. The runtime has
 * already checked that the list itself is an array.
 */
final class StructListArgument {

    /** One element being visited. */
    static final class Element {

        private final String name;
        private final Map<?, ?> members;
        private final Set<Object> visited = new HashSet<>();

        private Element(String name, Map<?, ?> members) {
            this.name = name;
            this.members = members;
        }

        /** A QAPI {@code int} member. */
        long int64(String member) throws CommandException {
            Object value = required(member);
            if (!(value instanceof Long)) {
                throw new CommandException(
                        "Invalid parameter type for '" + fullName(member) + "', expected: integer");
            }
            return (Long) value;
        }

        /**
         * A QAPI {@code uint64} member: any number that fits uint64, or a negative int64 taken as
         * its bits ("Need to accept negative values for backward compatibility").
         */
        long uint64(String member) throws CommandException {
            Object value = required(member);
            if (value instanceof Long) {
                return (Long) value;
            }
            if (value instanceof BigInteger && ((BigInteger) value).signum() >= 0
                    && ((BigInteger) value).bitLength() <= 64) {
                return ((BigInteger) value).longValue();
            }
            throw new CommandException("Parameter '" + fullName(member) + "' expects uint64");
        }

        /** A QAPI {@code bool} member. */
        boolean bool(String member) throws CommandException {
            return checkBoolean(member, required(member));
        }

        /** An optional QAPI {@code bool} member: checked when present, its value unused here. */
        void optionalBool(String member) throws CommandException {
            if (members.containsKey(member)) {
                visited.add(member);
                checkBoolean(member, members.get(member));
            }
        }

        /** check_struct: a member left over is unexpected. */
        void checkNoOthers() throws CommandException {
            for (Object key : members.keySet()) {
                if (!visited.contains(key)) {
                    // of several, qemu names the one its GHashTable yields first; this is the first in request order
                    throw new CommandException("Parameter '" + fullName(String.valueOf(key)) + "' is unexpected");
                }
            }
        }

        private Object required(String member) throws CommandException {
            if (!members.containsKey(member)) {
                throw new CommandException("Parameter '" + fullName(member) + "' is missing");
            }
            visited.add(member);
            return members.get(member);
        }

        private boolean checkBoolean(String member, Object value) throws CommandException {
            if (!(value instanceof Boolean)) {
                throw new CommandException(
                        "Invalid parameter type for '" + fullName(member) + "', expected: boolean");
            }
            return (Boolean) value;
        }

        private String fullName(String member) {
            return name + "." + member;
        }
    }

    /** How one element is read: its members visited through {@link Element}, in declaration order. */
    interface ElementReader<T> {
        T read(Element element) throws CommandException;
    }

    private StructListArgument() {
    }

    /** Every element of {@code list} read by {@code reader}, or the visitor's first error. */
    static <T> List<T> read(String listName, Object list, ElementReader<T> reader) throws CommandException {
        List<?> elements = (List<?>) list;
        List<T> read = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String name = listName + "[" + i + "]";
            if (!(elements.get(i) instanceof Map)) {
                throw new CommandException("Invalid parameter type for '" + name + "', expected: object");
            }
            Element element = new Element(name, (Map<?, ?>) elements.get(i));
            read.add(reader.read(element));
            element.checkNoOthers();
        }
        return read;
    }
}
