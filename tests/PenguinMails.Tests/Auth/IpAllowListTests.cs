using System.Net;
using PenguinMails.ApiKeys;

namespace PenguinMails.Tests.Auth;

public sealed class IpAllowListTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0", true)]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.0/24", "203.0.112.255", false)]
    [InlineData("203.0.113.0/24", "203.0.114.0", false)]
    [InlineData("198.51.100.5", "198.51.100.5", true)]
    [InlineData("198.51.100.5", "198.51.100.6", false)]
    [InlineData("198.51.100.5/32", "198.51.100.4", false)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.9", true)]
    [InlineData("2001:db8::/32", "2001:db8::", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:12:ffff::1", true)]
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:13::", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1/128", "::2", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("2001:db8::/32", "203.0.113.1", false)]
    [InlineData("203.0.113.0/24", "2001:db8::1", false)]
    public void Allows_RespectsCidrEdges(string entry, string address, bool allowed) =>
        Assert.Equal(allowed, IpAllowList.From([entry]).Allows(IPAddress.Parse(address)));

    [Theory]
    [InlineData("203.0.113.7/24", "203.0.113.0/24")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    public void Parse_HostBitsSet_IsRefusedWithTheRangeMeant(string entry, string suggestion)
    {
        Assert.False(IpAllowList.TryParse(entry, out _, out var error));
        Assert.Contains(suggestion, error);
    }

    [Theory]
    [InlineData("203.0.113.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("203.0.113")]
    [InlineData("example.com")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    public void Parse_Nonsense_IsRefused(string entry) => Assert.False(IpAllowList.TryParse(entry, out _, out _));

    [Theory]
    [InlineData("192.168.001.010")] // octal in inet_aton: 192.168.1.8
    [InlineData("010.0.0.0/8")] // 8.0.0.0/8
    [InlineData("012.0.0.1")]
    [InlineData("0x0a.0.0.1")] // hex: 10.0.0.1
    [InlineData("10.0.0.0x1")]
    [InlineData("3232235777")] // a whole address as one number
    [InlineData("192.168.1.256")]
    [InlineData("10.0.0.0/010")] // /10 here, /8 to a reader of octal
    [InlineData("10.0.0.0/08")]
    [InlineData("192.168.0.0/+16")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/8 /8")]
    [InlineData("2001:db8::/032")]
    [InlineData("10.0.0.0/")]
    public void Parse_LegacyForms_ThatReadAsAnotherAddress_AreRefused(string entry) =>
        Assert.False(IpAllowList.TryParse(entry, out _, out _));

    [Fact]
    public void EmptyList_AllowsEveryAddress() => Assert.True(IpAllowList.From([]).Allows(IPAddress.Parse("192.0.2.1")));

    [Theory]
    [InlineData("198.51.100.5/32", "198.51.100.5")]
    [InlineData(" 203.0.113.0/24 ", "203.0.113.0/24")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Normalize_GivesCanonicalForm(string entry, string expected) => Assert.Equal(expected, IpAllowList.Normalize(entry));
}
