<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Integration;

use PenguinMails\Client;
use PenguinMails\Exception\AuthenticationException;
use PenguinMails\Exception\ConflictException;
use PenguinMails\Exception\NotFoundException;
use PenguinMails\Exception\ValidationException;
use PenguinMails\Page;
use PenguinMails\Tests\Support\Env;
use PHPUnit\Framework\TestCase;

/** Operations of each resource against the real server: bodies, path parameters, query parameters, CSV, errors. */
final class ResourcesTest extends TestCase
{
    public function test_templates_round_trip_with_a_preview(): void
    {
        $client = Env::client();
        $slug = Env::unique('welcome');
        $created = $client->templates->create(['slug' => $slug, 'name' => 'Welcome', 'subject' => 'Hi {{name}}', 'html_body' => '<p>Hello {{name}}</p>']);
        self::assertSame($slug, $created['slug']);

        $preview = $client->templates->preview($slug, ['variables' => ['name' => 'Ada']]);
        self::assertSame('Hi Ada', $preview['subject']);
        self::assertStringContainsString('Hello Ada', $preview['html']);

        $client->templates->update($slug, ['name' => 'Welcome v2']);
        self::assertSame('Welcome v2', $client->templates->get($slug)['name']);
        self::assertContains($slug, array_column(iterator_to_array($client->templates->listAll(['search' => $slug]), false), 'slug'));
        $client->templates->delete($slug);
        $this->expectException(NotFoundException::class);
        $client->templates->get($slug);
    }

    public function test_contacts_upsert_update_export_and_delete(): void
    {
        $client = Env::client();
        $tag = Env::unique('crm');
        $email = "$tag+o'neil@example.com";
        $contact = $client->contacts->upsert(['email' => $email, 'first_name' => 'Dörte', 'tags' => [$tag]]);
        self::assertTrue($contact['created']);

        $updated = $client->contacts->update($contact['id'], ['last_name' => 'Jones', 'add_tags' => ['vip']]);
        self::assertSame('Jones', $updated['last_name']);
        self::assertEqualsCanonicalizing([$tag, 'vip'], $updated['tags']);
        self::assertSame($contact['id'], $client->contacts->get($contact['id'])['id']);
        self::assertContains($tag, array_column($client->contacts->listTags(), 'tag'));

        $csv = $client->contacts->export(['bom' => true]);
        self::assertStringStartsWith("\u{FEFF}", $csv);
        self::assertStringContainsString($email, $csv);
        self::assertArrayHasKey('contact', $client->contacts->exportData($contact['id']));

        $page = $client->contacts->list(['tag' => $tag, 'limit' => 10]);
        self::assertInstanceOf(Page::class, $page);
        self::assertCount(1, $page);
        self::assertFalse($page->pagination->hasMore);
        self::assertNull($page->pagination->nextCursor);
        self::assertSame(10, $page->pagination->limit);
        self::assertStringStartsWith('req_', (string) $page->requestId);

        $client->contacts->delete($contact['id']);
        $this->expectException(NotFoundException::class);
        $client->contacts->get($contact['id']);
    }

    public function test_a_csv_import_and_its_report(): void
    {
        $tag = Env::unique('csv');
        $csv = "email,first_name,tags\n$tag-1@example.com,Ann,$tag\nnot-an-address,Bob,$tag\n";
        $report = Env::client()->contacts->bulkImport($csv);
        self::assertSame(['total' => 2, 'created' => 1, 'updated' => 0, 'failed' => 1], array_intersect_key($report, array_flip(['total', 'created', 'updated', 'failed'])));
        self::assertSame('not-an-address', $report['errors'][0]['email']);
    }

    public function test_suppressions_by_address(): void
    {
        $client = Env::client();
        $email = Env::unique('bounce') . '@example.com';
        $client->suppressions->add(['email' => $email, 'reason' => 'manual', 'note' => 'asked by phone']);
        self::assertSame($email, $client->suppressions->get($email)['email']);
        self::assertContains($email, array_column($client->suppressions->list(['search' => $email])->data, 'email'));
        $client->suppressions->remove($email);
        $this->expectException(NotFoundException::class);
        $client->suppressions->get($email);
    }

    public function test_a_scheduled_email_can_be_cancelled(): void
    {
        $client = Env::client();
        $sent = $client->emails->send(['from' => Env::get('PENGUINMAILS_SENDER'), 'to' => Env::unique('later') . '@example.com',
            'subject' => 'Later', 'text_body' => 'Tomorrow.', 'scheduled_at' => (new \DateTimeImmutable('+1 day'))->format(DATE_RFC3339)]);
        self::assertNotNull($sent['scheduled_at']);
        self::assertSame('cancelled', $client->emails->cancel($sent['id'])['status']);
        self::assertSame('cancelled', $client->emails->get($sent['id'])['status']);
        try {
            $client->emails->cancel($sent['id']);
            self::fail('a cancelled email was cancelled again');
        } catch (ConflictException $e) {
            self::assertSame(409, $e->getStatus());
        }
    }

    public function test_webhook_secrets_are_returned_once_and_rotate(): void
    {
        $client = Env::client();
        // A public address literal: the server refuses URLs that do not resolve to a public address, and the test
        // machine has no DNS. Creating and rotating send nothing to it.
        $created = $client->webhooks->create(['url' => 'https://93.184.215.14/' . Env::unique('hook'), 'events' => ['email.delivered']]);
        self::assertStringStartsWith('whsec_', $created['secret']);
        $id = $created['webhook']['id'];
        self::assertArrayNotHasKey('secret', $client->webhooks->get($id));

        $rotated = $client->webhooks->rotateSecret($id);
        self::assertStringStartsWith('whsec_', $rotated['secret']);
        self::assertNotSame($created['secret'], $rotated['secret']);
        self::assertInstanceOf(Page::class, $client->webhooks->listDeliveries($id, ['limit' => 5]));
        $client->webhooks->delete($id);
        $this->expectException(NotFoundException::class);
        $client->webhooks->get($id);
    }

    public function test_reads_across_resources(): void
    {
        $client = Env::client();
        self::assertNotEmpty($client->webhooks->listEventTypes());
        $sender = Env::get('PENGUINMAILS_SENDER');
        self::assertContains(substr($sender, strrpos($sender, '@') + 1), array_column($client->domains->list()->data, 'name'));
        self::assertArrayHasKey('transport', $client->esp->get());
        self::assertIsArray($client->usage->get(['range' => '24h']));
        self::assertStringContainsString(',', strtok($client->usage->exportSeries(['range' => '24h']), "\n"));
        self::assertInstanceOf(Page::class, $client->auditLog->list(['limit' => 5]));
        self::assertInstanceOf(Page::class, $client->campaigns->list(['limit' => 5]));
    }

    public function test_errors_are_typed_and_never_show_the_key(): void
    {
        $badKey = 'pm_live_' . str_repeat('Z', 60);
        try {
            (new Client($badKey, ['base_url' => Env::get('PENGUINMAILS_BASE_URL')]))->account->get();
            self::fail('a made-up key was accepted');
        } catch (AuthenticationException $e) {
            self::assertSame(401, $e->getStatus());
            self::assertStringStartsWith('req_', (string) $e->getRequestId());
            self::assertStringNotContainsString(str_repeat('Z', 20), (string) $e);
        }
        try {
            Env::client()->templates->create(['slug' => 'Not A Slug', 'name' => '', 'subject' => 'x', 'html_body' => 'x']);
            self::fail('an invalid template was accepted');
        } catch (ValidationException $e) {
            self::assertContains('slug', array_column($e->getDetails(), 'field'));
            self::assertNotNull($e->getDocumentationUrl());
        }
        $this->expectException(NotFoundException::class);
        Env::client()->emails->get('msg_' . str_repeat('0', 32));
    }
}
