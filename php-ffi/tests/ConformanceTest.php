<?php
// Every case of tests/conformance/*.json, each a PHPUnit test, through the public PHP API.

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
            $doc = json_decode(file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
            $raw = json_decode(file_get_contents($file), false, 512, JSON_THROW_ON_ERROR);
            foreach ($doc['cases'] as $i => $case) {
                $input = Conformance::decode(json_encode($raw->cases[$i]->input ?? null));
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
        $this->assertNull(Conformance::checkOutcome($expect, Conformance::offline($op, $input)));
    }

    public function testEveryFileAndManyCasesRun(): void
    {
        $this->assertGreaterThan(150, iterator_count(self::cases()));
    }
}
