namespace PenguinMails.Analytics;

public sealed record UniqueTotal(int Unique, int Total);

/// <summary>
/// Rates as fractions (0.2500 = 25 %), rounded to 4 decimals, 0 when the denominator is 0. Delivery and bounce
/// rates are per sent message; open, click, complaint and unsubscribe rates are per delivered message.
/// </summary>
public sealed record CampaignRates(
    decimal DeliveryRate, decimal OpenRate, decimal ClickRate, decimal BounceRate, decimal ComplaintRate, decimal UnsubscribeRate);

/// <summary>Events of one UTC hour (every event counted, not unique).</summary>
public sealed record HourlyPoint(DateTime Hour, int Sent, int Bounced, int Opened, int Clicked, int Complained, int Unsubscribed);

public sealed record TopLink(string Url, int UniqueClicks, int TotalClicks);

/// <summary>
/// <c>GET /api/v1/analytics/campaigns/{id}</c>. Every campaign message has one recipient, so counts of messages are
/// counts of recipients. recipients: messages queued; sent: messages the receiving server answered for (accepted
/// or bounced); delivered: sent and not bounced; unique opens/clicks: messages opened/clicked at least once.
/// </summary>
public sealed record CampaignAnalyticsView(
    string CampaignId, string Name, string Status, int Recipients, int Sent, int Delivered, int Bounced, int Failed,
    UniqueTotal Opened, UniqueTotal Clicked, int Complained, int Unsubscribed, CampaignRates Rates,
    IReadOnlyList<HourlyPoint> Hourly, IReadOnlyList<TopLink> TopLinks);
