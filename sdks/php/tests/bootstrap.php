<?php

declare(strict_types=1);

// A PSR-4 autoloader for src/ and tests/, so the suite runs without Composer or network;
// Composer's own (after `composer dump-autoload`) is used when present.
if (is_file(__DIR__ . '/../vendor/autoload.php')) {
    require __DIR__ . '/../vendor/autoload.php';
    return;
}

spl_autoload_register(static function (string $class): void {
    foreach (['PenguinMails\\Tests\\' => __DIR__ . '/', 'PenguinMails\\' => __DIR__ . '/../src/'] as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
