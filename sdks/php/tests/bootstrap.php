<?php

declare(strict_types=1);

// A PSR-4 autoloader for src/ and tests/ (the same mapping as composer.json's autoload and autoload-dev), so the
// suite runs from a plain checkout: no Composer, no vendor/, no network.
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
