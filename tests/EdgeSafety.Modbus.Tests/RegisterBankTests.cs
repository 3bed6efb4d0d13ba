using static FluentAssertions.FluentActions;

namespace EdgeSafety.Modbus.Tests;

public sealed class RegisterBankTests
{
    [Fact]
    public void Values_written_are_read_back_per_table()
    {
        using var bank = new RegisterBank(4, 3);

        bank.Write(RegisterTable.Holding, 1, [5, 6, 7]);
        bank.Write(RegisterTable.Input, 0, [8]);

        RtuServerTests.Snapshot(bank, RegisterTable.Holding, 4).Should().Equal(0, 5, 6, 7);
        RtuServerTests.Snapshot(bank, RegisterTable.Input, 3).Should().Equal(8, 0, 0);
    }

    [Fact]
    public void Access_outside_the_bank_is_refused()
    {
        using var bank = new RegisterBank(4, 0);

        Invoking(() => bank.Write(RegisterTable.Holding, 3, [1, 2])).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => bank.Read(RegisterTable.Holding, 4, new ushort[1])).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => bank.Read(RegisterTable.Input, 0, new ushort[1])).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => new RegisterBank(65537, 0)).Should().Throw<ArgumentOutOfRangeException>();
        bank.Dispose();
        Invoking(() => bank.Read(RegisterTable.Holding, 0, new ushort[1])).Should().Throw<ObjectDisposedException>();
    }
}
