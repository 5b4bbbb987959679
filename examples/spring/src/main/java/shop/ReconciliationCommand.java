package shop;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.SpringApplication;
import org.springframework.stereotype.Component;

import pe.pagoefectivo.Currency;
import pe.pagoefectivo.Discrepancy;
import pe.pagoefectivo.Order;
import pe.pagoefectivo.OrderStatus;
import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.ReconcileClass;
import pe.pagoefectivo.Reconciliation;

/**
 * The daily reconciliation: every order with a CIP against what PagoEfectivo's search says. A payment whose
 * notification was missed is confirmed by the query and the order marked paid; the rest is listed to follow up.
 * Run with {@code --reconcile} (then the application exits), or call {@link #run()} from a scheduler.
 */
@Component
public class ReconciliationCommand implements ApplicationRunner {
    private final PagoEfectivo pagoEfectivo;
    private final Orders orders;
    private final ApplicationContext context;

    public ReconciliationCommand(PagoEfectivo pagoEfectivo, Orders orders, ApplicationContext context) {
        this.pagoEfectivo = pagoEfectivo;
        this.orders = orders;
        this.context = context;
    }

    public Reconciliation run() {
        List<Order> mine = new ArrayList<>();
        for (Orders.Order o : orders.all()) {
            if (o.cip == null) continue;
            OrderStatus status = o.status == Orders.Status.PENDING ? OrderStatus.PENDING : OrderStatus.PAID;
            mine.add(new Order(o.id, o.cip, Currency.PEN, o.amount, status));
        }
        Reconciliation result = pagoEfectivo.reconciliation().search(mine);
        for (Discrepancy d : result.getExceptions()) {
            if (d.getKind() == ReconcileClass.MISSED_NOTIFICATION) {
                orders.markPaid(d.getOrderId());
            } else {
                System.out.println("follow up " + d.getKind().getWire() + " " + d.getOrderId() + ": " + d.getDetail());
            }
        }
        return result;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (args.containsOption("reconcile")) {
            Reconciliation r = run();
            System.out.println("reconciled " + r.getSummary().getOrders() + " orders, " + r.getSummary().getExceptions() + " to follow up");
            System.exit(SpringApplication.exit(context, () -> 0));
        }
    }
}
