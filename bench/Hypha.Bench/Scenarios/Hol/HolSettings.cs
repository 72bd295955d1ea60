namespace Hypha.Bench.Scenarios.Hol;

/// <summary>How big the transfer is and how many small calls each case times.</summary>
internal sealed record HolSettings(int TransferBytes, int Calls, TimeSpan MaxPerCase)
{
    public static HolSettings Full { get; } = new(256 * 1024 * 1024, 3000, TimeSpan.FromSeconds(40));

    public static HolSettings Quick { get; } = new(32 * 1024 * 1024, 400, TimeSpan.FromSeconds(10));
}
