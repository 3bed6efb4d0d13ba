using Microsoft.Extensions.Time.Testing;

namespace EdgeSafety.Provisioning.Tests;

public sealed class EnrolmentCodesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly EnrolmentCodes _codes;

    public EnrolmentCodesTests() => _codes = new EnrolmentCodes(new EnrolmentOptions(), _time);

    [Fact]
    public void A_code_enrols_its_gateway_once_and_never_again()
    {
        var (code, _) = _codes.Issue("site-a", "gw-01", "installer-li");

        _codes.TryRedeem(code, "10.0.0.5", out var grant).Should().Be(RedeemOutcome.Redeemed);
        grant!.Site.Should().Be("site-a");
        grant.Gateway.Should().Be("gw-01");
        grant.IssuedBy.Should().Be("installer-li");
        _codes.TryRedeem(code, "10.0.0.5", out _).Should().Be(RedeemOutcome.Invalid);
    }

    [Fact]
    public void A_code_looks_like_ABCD_EFGH_and_is_accepted_typed_in_lower_case_without_its_dash()
    {
        var (code, _) = _codes.Issue("site-a", "gw-01", "installer-li");

        code.Should().MatchRegex("^[A-Z2-9]{4}-[A-Z2-9]{4}$");
        _codes.TryRedeem(code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant(), "10.0.0.5", out _).Should().Be(RedeemOutcome.Redeemed);
    }

    [Fact]
    public void A_code_expires_after_its_lifetime()
    {
        var (late, grant) = _codes.Issue("site-a", "gw-01", "installer-li");
        var (inTime, _) = _codes.Issue("site-a", "gw-02", "installer-li");
        grant.ExpiresAt.Should().Be(_time.GetUtcNow().AddMinutes(15));

        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        _codes.TryRedeem(inTime, "10.0.0.5", out _).Should().Be(RedeemOutcome.Redeemed);
        _time.Advance(TimeSpan.FromSeconds(1));
        _codes.TryRedeem(late, "10.0.0.5", out _).Should().Be(RedeemOutcome.Invalid);
    }

    [Fact]
    public void A_new_code_for_the_same_gateway_replaces_the_earlier_one()
    {
        var (first, _) = _codes.Issue("site-a", "gw-01", "installer-li");
        var (second, _) = _codes.Issue("site-a", "gw-01", "installer-li");

        _codes.TryRedeem(first, "10.0.0.5", out _).Should().Be(RedeemOutcome.Invalid);
        _codes.TryRedeem(second, "10.0.0.5", out _).Should().Be(RedeemOutcome.Redeemed);
    }

    [Fact]
    public void Too_many_wrong_codes_from_one_address_lock_it_out_until_they_age_out_while_other_addresses_still_enrol()
    {
        var (code, _) = _codes.Issue("site-a", "gw-01", "installer-li");
        for (var i = 0; i < 10; i++)
        {
            _codes.TryRedeem("AAAA-AAAA", "10.0.0.66", out _).Should().Be(RedeemOutcome.Invalid);
        }

        _codes.TryRedeem(code, "10.0.0.66", out _).Should().Be(RedeemOutcome.TooManyAttempts, "even the right code is not looked at");
        _time.Advance(TimeSpan.FromMinutes(15));
        var (fresh, _) = _codes.Issue("site-a", "gw-01", "installer-li");
        _codes.TryRedeem(fresh, "10.0.0.66", out _).Should().Be(RedeemOutcome.Redeemed);
    }

    [Fact]
    public void Codes_are_not_issued_for_ids_that_cannot_be_topic_segments()
    {
        FluentActions.Invoking(() => _codes.Issue("site-a", "gw/#", "installer-li")).Should().Throw<ArgumentException>();
    }
}
