using Hypha.Protocol.Compression;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Native;

/// <summary>
/// What one side of a native connection announces in Hello or HelloAck (docs/wire-format.md §6.1): the frames and
/// messages it accepts, the windows it grants, its heartbeat, and the optional features it offers or chose.
/// </summary>
public sealed partial record NativeSettings
{
    /// <summary>The smallest allowed <see cref="MaxFrame"/>.</summary>
    public const int MinFrame = 16 * 1024;

    /// <summary>The largest allowed <see cref="MaxFrame"/>.</summary>
    public const int MaxFrameLimit = 16 * 1024 * 1024;

    /// <summary>The frame limit in force before the handshake completes.</summary>
    public const int DefaultFrame = 64 * 1024;

    /// <summary>The largest frame payload this side accepts.</summary>
    public int MaxFrame { get; init; } = DefaultFrame;

    /// <summary>The largest message this side accepts.</summary>
    public int MaxMessage { get; init; } = 64 * 1024 * 1024;

    /// <summary>The stream window this side grants, in bytes.</summary>
    public int StreamWindow { get; init; } = 1024 * 1024;

    /// <summary>The bulk window this side grants, in bytes.</summary>
    public int BulkWindow { get; init; } = 1024 * 1024;

    /// <summary>The rpc window this side grants, in messages: the calls and answers in flight towards it.</summary>
    public int RpcWindow { get; init; } = 4096;

    /// <summary>How often this side pings; zero for never.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The compression codecs this side can decode, in its order of preference: offered in Hello, chosen in HelloAck
    /// (by default every codec this implementation has, <see cref="CompressionCodecs.Names"/>; empty: none).
    /// </summary>
    public IReadOnlyList<string> Compression { get; init; } = CompressionCodecs.Names;

    /// <summary>
    /// An opaque identity of the machine and boot this side runs on, or null when unknown: two sides with the same
    /// identity are on the same host (shared memory is possible, compressing bulk data is not worth it).
    /// </summary>
    public string? Host { get; init; }

    /// <summary>
    /// Shared memory offered (Hello) or accepted (HelloAck, only once the server read the client's probe), or null
    /// (docs/wire-format.md §9).
    /// </summary>
    public SharedMemoryOffer? SharedMemory { get; init; }

    /// <summary>
    /// The schemas offered (Hello: what this side compiled, with their definitions) or accepted (HelloAck: what the
    /// server chose from the client's offers). A message may travel in the binary form of any schema both sides
    /// hold with the same fingerprint (docs/wire-format.md §7).
    /// </summary>
    public IReadOnlyList<SchemaOffer> Schemas { get; init; } = EnvelopeSchemas.DefaultOffers;

    /// <summary>
    /// True on a server that accepts envelope schemas it does not hold, when the client's offer carries a definition
    /// it can compile (<see cref="EnvelopeSchemas.TryLearn"/>): such a client keeps the binary form even with another
    /// version of the envelope.
    /// </summary>
    public bool LearnSchemas { get; init; } = true;

    /// <summary>The peer's version from its Hello/HelloAck.</summary>
    public (int Major, int Minor) Version { get; init; } = (NativePreface.Major, NativePreface.Minor);

    /// <summary>The window this side grants on <paramref name="channel"/>.</summary>
    public int WindowFor(NativeChannel channel) => channel switch
    {
        NativeChannel.Stream => StreamWindow,
        NativeChannel.Rpc => RpcWindow,
        NativeChannel.Bulk => BulkWindow,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "The control channel has no window."),
    };

    /// <summary>
    /// The HelloAck a server with these settings sends in answer to <paramref name="hello"/>: its own limits, windows
    /// and heartbeat, and of each optional feature what both sides offer, in the client's order of preference.
    /// </summary>
    public NativeSettings AnswerTo(NativeSettings hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return this with
        {
            Compression = hello.Compression.Where(Compression.Contains).ToArray(),
            Schemas = AcceptedSchemas(hello.Schemas),
            SharedMemory = hello.SharedMemory is { } offered && SharedMemory?.IsCompatible(offered) == true ? SharedMemory : null,
        };
    }

    // The client's offers this side holds, or (when it learns) can compile as an envelope, in the client's order;
    // answered without their definitions.
    private SchemaOffer[] AcceptedSchemas(IReadOnlyList<SchemaOffer> offers)
    {
        var accepted = new List<SchemaOffer>();
        int learned = 0;
        foreach (SchemaOffer offer in offers)
        {
            bool held = Schemas.Any(mine => mine.Id == offer.Id && mine.Fingerprint == offer.Fingerprint);
            if (!held && LearnSchemas && learned < EnvelopeSchemas.MaxLearned && EnvelopeSchemas.TryLearn(offer) is not null)
            {
                learned++;
                held = true;
            }

            if (held && !accepted.Any(known => known.Id == offer.Id && known.Fingerprint == offer.Fingerprint))
            {
                accepted.Add(new SchemaOffer { Id = offer.Id, Fingerprint = offer.Fingerprint });
            }
        }

        return [.. accepted];
    }

    /// <summary>Checks the values against the bounds of §6.1.</summary>
    /// <exception cref="ArgumentException">A value is out of bounds.</exception>
    public void Validate()
    {
        string? problem = Problem();
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }

    private string? Problem()
    {
        if (MaxFrame is < MinFrame or > MaxFrameLimit)
        {
            return $"MaxFrame must be between {MinFrame} and {MaxFrameLimit}.";
        }

        if (MaxMessage < MaxFrame)
        {
            return "MaxMessage must be at least MaxFrame.";
        }

        if (StreamWindow < MaxFrame || BulkWindow < MaxFrame)
        {
            return "The stream and bulk windows must be at least MaxFrame.";
        }

        if (RpcWindow < 1)
        {
            return "The rpc window must be at least 1 message.";
        }

        if (Compression.FirstOrDefault(name => CompressionCodecs.Find(name) is null) is { } unknown)
        {
            return $"Unknown compression codec '{unknown}'; known: {string.Join(", ", CompressionCodecs.Names)}.";
        }

        return Heartbeat < TimeSpan.Zero || Heartbeat > TimeSpan.FromHours(1) ? "Heartbeat must be between 0 and 1 hour." : null;
    }
}
