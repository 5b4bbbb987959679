package shop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import pe.pagoefectivo.testing.Sandbox;

/** {@link SharedStoreShopTest} with {@code pagoefectivo.dedup.url} set to PAGOEFECTIVO_TEST_POSTGRES_URL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EnabledIf("shop.SharedStoreShopTest#postgresGiven")
class PostgresStoreShopTest extends SharedStoreShopTest {
    static final String VARIABLE = "PAGOEFECTIVO_TEST_POSTGRES_URL";
    static final Sandbox SANDBOX = sandbox();

    @DynamicPropertySource
    static void pagoefectivo(DynamicPropertyRegistry r) {
        register(r, SANDBOX, storeUrl(VARIABLE));
    }

    @AfterAll
    static void stop() {
        SANDBOX.close();
    }

    @Override
    Sandbox sb() {
        return SANDBOX;
    }

    @Override
    String url() {
        return storeUrl(VARIABLE);
    }

    @Override
    String store() {
        return "postgres";
    }
}
