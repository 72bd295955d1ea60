namespace Hypha.Bench.Scenarios.Hol;

/// <summary>
/// How big the transfer is, how many small calls the idle case times, and the longest any case may take. The full run's transfer is a 256 MiB message:
/// its bytes leave 1 KiB for the call's envelope, because 256 MiB is the largest message a peer accepts by default.
/// </summary>
internal sealed record HolSettings(int TransferBytes, int Calls, TimeSpan MaxPerCase)
{
    public static HolSettings Full { get; } = new((256 * 1024 * 1024) - 1024, 3000, TimeSpan.FromSeconds(20));

    public static HolSettings Quick { get; } = new(32 * 1024 * 1024, 300, TimeSpan.FromSeconds(2));
}
