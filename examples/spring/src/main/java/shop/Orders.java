package shop;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/** The shop's orders (in memory here; a table in a real shop). */
@Component
public class Orders {
    public enum Status { PENDING, PAID, REFUNDED }

    /** One order: what was sold, its CIP, and how many paid notifications it got (always one: deduplicated). */
    public static final class Order {
        public final String id;
        public final BigDecimal amount;
        public final String email;
        public volatile Long cip;
        public volatile Status status = Status.PENDING;
        public final AtomicInteger paidNotifications = new AtomicInteger();

        Order(String id, BigDecimal amount, String email) {
            this.id = id;
            this.amount = amount;
            this.email = email;
        }
    }

    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1000);

    public Order create(BigDecimal amount, String email) {
        Order o = new Order("ORD-" + next.incrementAndGet(), amount, email);
        orders.put(o.id, o);
        return o;
    }

    public Order get(String id) {
        return orders.get(id);
    }

    public List<Order> all() {
        return List.copyOf(orders.values());
    }

    /** A payment confirmed (by a verified notification or by reconciliation): ship it. */
    public void markPaid(String id) {
        Order o = orders.get(id);
        if (o != null) {
            o.status = Status.PAID;
        }
    }
}
