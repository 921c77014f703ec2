package dev.somnus.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code GuestDiskAddress} of qga/qapi-schema.json while it is being found: the PCI address
 * of the controller (-1 in each field while unknown, as qemu-ga leaves it), the bus type, the
 * bus/target/unit numbers (0 unless the bus gives them), and the serial, device node and
 * channel-I/O address when known.
 */
final class DiskAddress {

    long domain = -1;
    long pciBus = -1;
    long slot = -1;
    long function = -1;
    String busType = "unknown";
    long bus;
    long target;
    long unit;
    String serial;
    String dev;
    long[] ccw;

    /** The reply's object; absent optional members are left out, as qemu-ga omits them. */
    Map<String, Object> toReply() {
        Map<String, Object> pci = new LinkedHashMap<>();
        pci.put("domain", domain);
        pci.put("bus", pciBus);
        pci.put("slot", slot);
        pci.put("function", function);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("pci-controller", pci);
        reply.put("bus-type", busType);
        reply.put("bus", bus);
        reply.put("target", target);
        reply.put("unit", unit);
        if (serial != null) {
            reply.put("serial", serial);
        }
        if (dev != null) {
            reply.put("dev", dev);
        }
        if (ccw != null) {
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("cssid", ccw[0]);
            address.put("ssid", ccw[1]);
            address.put("subchno", ccw[2]);
            address.put("devno", ccw[3]);
            reply.put("ccw-address", address);
        }
        return reply;
    }
}
