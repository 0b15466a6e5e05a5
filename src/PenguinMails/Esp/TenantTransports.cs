using Microsoft.Extensions.Options;
using PenguinMails.Delivery;

namespace PenguinMails.Esp;

/// <summary>
/// One dispatcher worker's transports: the server's own (SMTP relay or pickup directory, its connection kept from
/// message to message) for tenants on <c>smtp</c>, and a Postmark or Mailgun transport built from the tenant's
/// current settings (<see cref="EspConfigCache"/>) for the others. Which one a message takes is decided per message,
/// by its tenant.
/// </summary>
public sealed class TenantTransports(IMailTransport relay, EspConfigCache configs, IHttpClientFactory clients,
    IOptions<PenguinMailsOptions> options, TimeProvider time) : IAsyncDisposable
{
    public async Task<IMailTransport> ForAsync(Guid tenantId, CancellationToken ct)
    {
        var config = await configs.GetAsync(tenantId, ct);
        return config.Transport switch
        {
            EspTransports.Postmark => new PostmarkTransport(clients.CreateClient(EspHttp.Client), options.Value.Esp, config, time),
            EspTransports.Mailgun => new MailgunTransport(clients.CreateClient(EspHttp.Client), options.Value.Esp, config, time),
            _ => relay,
        };
    }

    public Task IdleAsync(CancellationToken ct) => relay.IdleAsync(ct);

    public ValueTask DisposeAsync() => relay.DisposeAsync();
}
