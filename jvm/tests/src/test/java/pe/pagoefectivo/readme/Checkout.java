// jvm/README.md's Java example is this file from its imports on; ReadmeTest checks that and runs it.
package pe.pagoefectivo.readme;

import java.math.BigDecimal;
import java.time.Duration;

import pe.pagoefectivo.Cip;
import pe.pagoefectivo.CreateCipRequest;
import pe.pagoefectivo.Currency;
import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.ValidationException;

public class Checkout {
    public static void main(String[] args) {
        try (PagoEfectivo client = PagoEfectivo.fromEnv()) {
            Cip cip = client.cips().create(CreateCipRequest.builder()
                .currency(Currency.PEN)
                .amount(new BigDecimal("149.90"))
                .transactionCode("ORD-1002")
                .userEmail("ana@example.pe")
                .expiresIn(Duration.ofHours(48))
                .build());
            System.out.println("CIP " + cip.getCip() + ": pay at " + cip.getCipUrl());
            client.cips().createAsync(CreateCipRequest.builder().currency(Currency.PEN).amount(new BigDecimal("9.999")).build())
                .exceptionally(e -> {
                    ValidationException v = (ValidationException) e.getCause();
                    System.out.println("refused: " + v.getFieldErrors()); // amount (3 decimals), transactionCode, userEmail
                    return null;
                })
                .join();
        }
    }
}
