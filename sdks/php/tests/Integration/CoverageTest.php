<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Integration;

use PenguinMails\Client;
use PenguinMails\Page;
use PenguinMails\Tests\Support\Env;
use PHPUnit\Framework\TestCase;

/**
 * Every public operation of the served OpenAPI document (under /api/v1/) is in sdks/operations.json, and this SDK
 * has its method — `$client-><resource>-><name>()`, plus `<name>All()` when paged — with the contract's call
 * shape: path parameters first, in path order, then the body, then query parameters or options as one array.
 */
final class CoverageTest extends TestCase
{
    public function test_every_served_operation_is_listed_and_has_its_method(): void
    {
        $document = json_decode((string) file_get_contents(Env::get('PENGUINMAILS_OPENAPI_URL')), true, 512, JSON_THROW_ON_ERROR);
        $listed = [];
        foreach (self::operations() as $op) {
            $listed[$op['operation_id']] = $op;
        }
        $served = 0;
        $problems = [];
        foreach ($document['paths'] as $path => $methods) {
            if (!str_starts_with($path, '/api/v1/')) {
                continue;
            }
            foreach ($methods as $method => $operation) {
                if (!is_array($operation) || !isset($operation['operationId'])) {
                    continue;
                }
                $served++;
                $op = $listed[$operation['operationId']] ?? null;
                if ($op === null) {
                    $problems[] = "{$operation['operationId']} ($method $path) is not in operations.json";
                } elseif ($op['method'] !== strtoupper($method) || $op['path'] !== $path) {
                    $problems[] = "{$operation['operationId']} is $method $path, operations.json says {$op['method']} {$op['path']}";
                }
            }
        }
        self::assertSame([], $problems);
        self::assertSame(count($listed), $served, 'operations.json lists operations the document does not serve');
    }

    public function test_every_listed_operation_has_its_method_with_the_contract_shape(): void
    {
        $client = new Client('pm_test_coverage');
        $problems = [];
        foreach (self::operations() as $op) {
            $where = "{$op['operation_id']}: \$client->{$op['resource']}->{$op['name']}()";
            if (!property_exists($client, $op['resource'])) {
                $problems[] = "$where: no resource \${$op['resource']}";
                continue;
            }
            $resource = $client->{$op['resource']};
            foreach ($op['paged'] ? [$op['name'], $op['name'] . 'All'] : [$op['name']] as $name) {
                if (!method_exists($resource, $name)) {
                    $problems[] = "$where: no method $name()";
                    continue;
                }
                $method = new \ReflectionMethod($resource, $name);
                $params = array_map(static fn (\ReflectionParameter $p): string => $p->getName(), $method->getParameters());
                $expected = array_map(static fn (string $p): string => lcfirst(str_replace('_', '', ucwords($p, '_'))), $op['path_params']);
                if (array_slice($params, 0, count($expected)) !== $expected) {
                    $problems[] = "$where: parameters " . implode(', ', $params) . ' do not start with the path parameters ' . implode(', ', $expected);
                }
                $return = (string) $method->getReturnType();
                $wanted = match (true) {
                    $name !== $op['name'] => 'Generator',
                    $op['paged'] => Page::class,
                    $op['csv'] => 'string',
                    default => 'array',
                };
                if ($return !== $wanted) {
                    $problems[] = "$where: $name() returns $return, expected $wanted";
                }
                if ($op['query_params'] !== [] && !in_array('params', $params, true)) {
                    $problems[] = "$where: no \$params array for its query parameters";
                }
                if ($op['idempotency_key'] && !in_array('options', $params, true)) {
                    $problems[] = "$where: no \$options array (idempotency_key)";
                }
            }
        }
        self::assertSame([], $problems);
    }

    /** @return list<array{operation_id: string, method: string, path: string, resource: string, name: string, path_params: list<string>, query_params: list<string>, body: bool, idempotency_key: bool, returns_secret: bool, paged: bool, csv: bool}> */
    private static function operations(): array
    {
        $file = getenv('PENGUINMAILS_OPERATIONS') ?: __DIR__ . '/../../../operations.json';
        self::assertFileExists($file);
        $operations = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR)['operations'];
        self::assertGreaterThan(60, count($operations));
        return $operations;
    }
}
