#!/usr/bin/env bash
# Installed by coordinates: a project under target/ that depends only on pe.pagoefectivo:pagoefectivo (and
# pagoefectivo-testing for its test), resolved from the repository test-jvm.sh installed them into. Its main program
# runs on the production jar alone (the native library extracted from the jar, no system property); its test creates,
# pays and verifies a CIP against the sandbox. Also checks the jar's layout and the sources jar.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="${JVM_MAVEN_REPO:-$PWD/target/jvm-m2}"
JAR="$REPO/pe/pagoefectivo/pagoefectivo/0.1.0/pagoefectivo-0.1.0.jar"
[ -f "$JAR" ] || { echo "jvm-install-test: $JAR is not installed (run scripts/test-jvm.sh)" >&2; exit 1; }
# The listing is read whole: `unzip | grep -q` under pipefail fails when grep stops reading early.
listing=$(unzip -l "$JAR")
grep -q " linux-x86-64/libpagoefectivo_jvm.so$" <<<"$listing" || { echo "the jar has no linux-x86-64/libpagoefectivo_jvm.so" >&2; exit 1; }
if grep -q "testing" <<<"$listing"; then echo "the production jar carries the test library" >&2; exit 1; fi
[ -f "${JAR%.jar}-sources.jar" ] || { echo "no sources jar" >&2; exit 1; }

DIR=target/jvm-consumer
rm -rf "$DIR"
mkdir -p "$DIR/src/main/java/consumer" "$DIR/src/test/java/consumer"
cat > "$DIR/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>consumer</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency><groupId>pe.pagoefectivo</groupId><artifactId>pagoefectivo</artifactId><version>0.1.0</version></dependency>
    <dependency><groupId>pe.pagoefectivo</groupId><artifactId>pagoefectivo-testing</artifactId><version>0.1.0</version><scope>test</scope></dependency>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.12.2</version><scope>test</scope></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
    </plugins>
  </build>
</project>
XML
cat > "$DIR/src/main/java/consumer/Main.java" <<'JAVA'
package consumer;

import java.nio.charset.StandardCharsets;

import pe.pagoefectivo.CipStatus;
import pe.pagoefectivo.Event;
import pe.pagoefectivo.Webhooks;

public class Main {
    public static void main(String[] args) {
        byte[] body = "{\"eventType\":\"cip.paid\",\"operationNumber\":\"1253\",\"data\":{\"cip\":\"11546901\",\"currency\":\"PEN\",\"amount\":22.05}}"
            .getBytes(StandardCharsets.UTF_8);
        Event.CipPaid e = (Event.CipPaid) Webhooks.constructEvent(body, "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9", "test_secret");
        System.out.println("status " + CipStatus.fromCode(23) + ", paid " + e.getAmount() + " for CIP " + e.getCip());
    }
}
JAVA
cat > "$DIR/src/test/java/consumer/SmokeTest.java" <<'JAVA'
package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import pe.pagoefectivo.*;
import pe.pagoefectivo.testing.Delivery;
import pe.pagoefectivo.testing.Sandbox;

class SmokeTest {
    @Test
    void createPayVerify() {
        try (Sandbox sb = Sandbox.start(); PagoEfectivo client = sb.client()) {
            Cip cip = client.cips().create(CreateCipRequest.builder().currency(Currency.PEN).amount(new BigDecimal("10.00"))
                .transactionCode("SMOKE-1").userEmail("a@example.pe").build());
            sb.setNotificationUrl("http://127.0.0.1:9/unreachable");
            sb.pay(cip.getCip());
            assertEquals(CipStatus.PAID, client.cips().get(cip.getCip()).getStatus());
            Delivery d = sb.deliveries(1, 5000).get(0);
            Event e = client.webhooks().constructEvent(d.getBody().getBytes(), d.getSignature());
            assertEquals(cip.getCip(), e.getCip());
        }
    }
}
JAVA
scripts/jvm-maven.sh "$DIR" -q test dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt
out=$(java -cp "$DIR/target/classes:$(cat "$DIR/target/runtime-classpath.txt")" consumer.Main)
echo "consumer: $out"
[ "$out" = "status PAID, paid 22.05 for CIP 11546901" ]
