using Calico.Net;

namespace Calico.Ipam;

// Outcomes of the block-claiming protocol that callers act on rather than report (libcalico-go ipam_errors.go).
// They never leave IpamClient.

/// <summary>Another host owns the block we tried to claim.</summary>
internal sealed class BlockClaimConflictException(IPPrefix block, string? owner)
    : Exception($"block {block} is claimed by {owner ?? "no host"}");

/// <summary>Our affinity points at a block that belongs to someone else; it has been deleted.</summary>
internal sealed class StaleAffinityException(IPPrefix block) : Exception($"affinity for block {block} is stale");

/// <summary>An affinity release that required an empty block found addresses in use.</summary>
internal sealed class BlockNotEmptyException(IPPrefix block) : Exception($"block {block} is not empty");

/// <summary>Every block of every candidate pool exists and belongs to someone else or is full.</summary>
internal sealed class NoFreeBlocksException() : Exception("No Free Blocks");

/// <summary>The host needs a new block but owns as many as it may (libcalico-go ErrBlockLimit).</summary>
internal sealed class BlockLimitReachedException() : Exception("cannot allocate new block due to per host block limit");
