using PenguinMails.Data;

namespace PenguinMails.Tests.Data;

/// <summary>TextClip never leaves half a character: every cut of outside text in the server goes through it.</summary>
public sealed class TextClipTests
{
    [Theory]
    [InlineData("abc", 5, "abc")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("ab\U0001F427cd", 3, "ab")] // the cut would fall between the emoji's two halves
    [InlineData("ab\U0001F427cd", 4, "ab\U0001F427")]
    [InlineData("\U0001F427", 1, "")]
    [InlineData("", 0, "")]
    public void To_CutsAtMostMaxUnits_NeverInsideASurrogatePair(string text, int max, string expected) =>
        Assert.Equal(expected, TextClip.To(text, max));

    [Fact]
    public void Shortened_MarksACut_AndLeavesWholeText()
    {
        Assert.Equal("ab…", TextClip.Shortened("ab\U0001F427", 3));
        Assert.Equal("ab\U0001F427", TextClip.Shortened("ab\U0001F427", 4));
        Assert.Null(TextClip.OrNull(null, 3));
    }
}
