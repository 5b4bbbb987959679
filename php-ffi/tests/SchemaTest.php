<?php
// The PHP result classes against schema/pagoefectivo.schema.json, property by property (names and types).

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Cip;
use PagoEfectivo\CipInfo;
use PagoEfectivo\CipPaidEvent;
use PagoEfectivo\CipStatus;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\OtherEvent;
use PagoEfectivo\PaymentRecord;
use PagoEfectivo\Reconciliation;
use PagoEfectivo\Reconciliation\ClassTotal;
use PagoEfectivo\Reconciliation\Discrepancy;
use PagoEfectivo\Reconciliation\Summary;
use PagoEfectivo\Refund;
use PagoEfectivo\RefundEligibility;
use PagoEfectivo\RefundEvent;
use PagoEfectivo\RefundStatus;
use PagoEfectivo\ReportPage;
use PagoEfectivo\Testing\Sandbox;
use PHPUnit\Framework\TestCase;

final class SchemaTest extends TestCase
{
    /** PHP class => the schema's definition of the same shape (events also carry Event's tagged fields). */
    private const CLASSES = [
        Cip::class => 'Cip',
        CipInfo::class => 'CipInfo',
        Refund::class => 'Refund',
        RefundEligibility::class => 'RefundEligibility',
        CipPaidEvent::class => 'CipPaid',
        RefundEvent::class => 'RefundEvent',
        OtherEvent::class => 'OtherEvent',
        Reconciliation::class => 'Reconciliation',
        Summary::class => 'Summary',
        ClassTotal::class => 'ClassTotal',
        // `Exception` names a throwable in PHP: the schema's reconciliation Exception is a Discrepancy (as in Python).
        Discrepancy::class => 'Exception',
        PaymentRecord::class => 'PaymentRecord',
        ReportPage::class => 'ReportPage',
    ];

    /** The intentional differences, all of them: class.property => why. */
    private const DIFFERENCES = [
        'CipPaidEvent.type' => 'the class is the type (toArray() keeps `type`)',
        'RefundEvent.type' => 'the class is the type (toArray() keeps `type`)',
        'OtherEvent.type' => 'the class is the type (toArray() keeps `type`)',
        'Reconciliation.nextCursor' => 'PHP only: the settlement report cursor that reconcile.report adds',
    ];

    /** Schema definitions as PHP types; string enums of few values stay strings, CIP and refund statuses are enums. */
    private const REFS = [
        'CipStatus' => CipStatus::class, 'RefundStatus' => RefundStatus::class, 'Summary' => Summary::class,
        'Currency' => 'string', 'Side' => 'string', 'Class' => 'string', 'OrderStatus' => 'string',
    ];

    private static function schema(): array
    {
        return json_decode(file_get_contents(dirname(__DIR__, 2) . '/schema/pagoefectivo.schema.json'), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, array> the properties of `def`, with Event's tagged ones for events */
    private static function properties(array $schema, string $def): array
    {
        $props = $schema['$defs'][$def]['properties'];
        foreach ($schema['$defs']['Event']['oneOf'] as $variant) {
            if (($variant['allOf'][0]['$ref'] ?? '') === "#/\$defs/{$def}") {
                $props += $variant['allOf'][1]['properties'];
            }
        }
        return $props;
    }

    /** @return array{0: string, 1: bool} the PHP type a schema property maps to, and whether null is allowed */
    private static function expected(array $p): array
    {
        if (isset($p['$ref'])) {
            return [self::ref($p['$ref']), false];
        }
        if (isset($p['anyOf'])) {
            $ref = array_values(array_filter($p['anyOf'], fn ($a) => isset($a['$ref'])))[0]['$ref'];
            return [self::ref($ref), in_array(['type' => 'null'], $p['anyOf'], true)];
        }
        if (!isset($p['type'])) {
            return ['mixed', true];
        }
        $types = (array) $p['type'];
        $nullable = in_array('null', $types, true);
        $type = array_values(array_diff($types, ['null']))[0];
        $php = match ($type) {
            'string' => ($p['format'] ?? '') === 'date-time' ? \DateTimeImmutable::class : 'string',
            'integer' => 'int',
            'boolean' => 'bool',
            'array', 'object' => 'array',
        };
        return [$php, $nullable];
    }

    private static function ref(string $ref): string
    {
        $name = substr($ref, strlen('#/$defs/'));
        return self::REFS[$name] ?? throw new \LogicException("no PHP type for the schema's {$name}");
    }

    public function testResultClassesMatchTheSchemaPropertyByProperty(): void
    {
        $schema = self::schema();
        $used = [];
        foreach (self::CLASSES as $class => $def) {
            $short = (new \ReflectionClass($class))->getShortName();
            $want = self::properties($schema, $def);
            $have = [];
            foreach ((new \ReflectionClass($class))->getProperties(\ReflectionProperty::IS_PUBLIC) as $p) {
                $have[$p->getName()] = $p;
            }
            foreach ($want as $name => $prop) {
                if (isset(self::DIFFERENCES["{$short}.{$name}"])) {
                    $used[] = "{$short}.{$name}";
                    $this->assertArrayNotHasKey($name, $have, "{$short}.{$name} is declared as a difference");
                    continue;
                }
                $this->assertArrayHasKey($name, $have, "{$short} lacks {$name} (schema {$def})");
                [$type, $nullable] = self::expected($prop);
                $actual = $have[$name]->getType();
                $this->assertInstanceOf(\ReflectionNamedType::class, $actual, "{$short}.{$name}");
                $this->assertSame($type, $actual->getName(), "{$short}.{$name}: type");
                $this->assertSame($nullable, $actual->allowsNull(), "{$short}.{$name}: nullable");
                $this->assertTrue($have[$name]->isReadOnly(), "{$short}.{$name} is readonly");
            }
            foreach (array_keys($have) as $name) {
                if (!isset($want[$name])) {
                    $used[] = "{$short}.{$name}";
                    $this->assertArrayHasKey("{$short}.{$name}", self::DIFFERENCES, "{$short}.{$name} is not in the schema's {$def}");
                }
            }
        }
        $this->assertEqualsCanonicalizing(array_keys(self::DIFFERENCES), array_unique($used), 'every declared difference exists');
    }

    public function testSettingsAndErrorsCarryTheSchemasFields(): void
    {
        $schema = self::schema();
        $sb = new Sandbox();
        $this->assertEqualsCanonicalizing(array_keys($schema['$defs']['Settings']['properties']), array_keys($sb->client()->settings()));
        try {
            $sb->client()->cips()->create(['amount' => 25.5]);
            $this->fail('expected a validation error');
        } catch (PagoEfectivoException $e) {
            $this->assertEqualsCanonicalizing(array_keys($schema['$defs']['Error']['properties']), array_keys($e->toArray()));
        }
    }

    public function testEveryResultRootHasAPhpShape(): void
    {
        // Requests are arrays (the core reads them); Settings an array; Error the exception; Event three classes;
        // Exchange and RefundAuditRecord are the audit hooks' records (issue 12).
        $elsewhere = ['CreateCipRequest', 'CreateRefundRequest', 'Settings', 'Error', 'FieldError', 'Event', 'Exchange', 'RefundAuditRecord'];
        foreach (self::schema()['roots'] as $root) {
            if (!in_array($root, $elsewhere, true)) {
                $this->assertContains($root, self::CLASSES, "the schema's {$root} has no PHP class");
            }
        }
    }
}
