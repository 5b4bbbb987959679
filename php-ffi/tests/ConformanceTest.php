<?php
// Every case of tests/conformance/*.json, each a PHPUnit test, through the public PHP API (typed markers as PHP values).

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PHPUnit\Framework\TestCase;

final class ConformanceTest extends TestCase
{
    public static function cases(): iterable
    {
        $files = glob(dirname(__DIR__, 2) . '/tests/conformance/*.json');
        sort($files);
        foreach ($files as $file) {
            $text = file_get_contents($file);
            $doc = json_decode($text, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
            $raw = json_decode($text, false, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
            foreach ($doc['cases'] as $i => $case) {
                $input = Conformance::native($raw->cases[$i]->input ?? null);
                yield basename($file) . ': ' . $case['name'] => [$case['op'], $input, $case['expect'] ?? []];
            }
        }
    }

    /** @dataProvider cases */
    public function testCase(string $op, mixed $input, mixed $expect): void
    {
        if ($op === 'scenario') {
            $this->assertNull(Conformance::scenario($input));
            return;
        }
        if ($op === 'dedup.sequence') {
            $this->assertNull(Conformance::checkOutcome($expect, Conformance::dedupSequence($input)));
            return;
        }
        $this->assertNull(Conformance::checkOutcome($expect, Conformance::offline($op, $input)));
    }

    public function testEveryFileAndEveryCaseRuns(): void
    {
        $files = glob(dirname(__DIR__, 2) . '/tests/conformance/*.json');
        $total = 0;
        foreach ($files as $file) {
            $total += count(json_decode(file_get_contents($file), true)['cases']);
        }
        foreach (['boundary.json', 'dedup.json', 'fidelity.json', 'hostile.json'] as $name) {
            $this->assertContains(dirname(__DIR__, 2) . "/tests/conformance/{$name}", $files);
        }
        $this->assertSame($total, iterator_count(self::cases()));
        $this->assertGreaterThan(200, $total);
    }
}
