namespace Calico.Ipam;

/// <summary>Why an IPAM request could not be met; cmdlets map these to error categories.</summary>
public enum IpamErrorReason
{
    /// <summary>The request itself is wrong (no host, a negative count, an IPv6 pool for IPv4, ...).</summary>
    InvalidRequest,
    /// <summary>No enabled pool matches the node, the requested pools or the intended use.</summary>
    NoQualifiedPool,
    /// <summary>The node has as many blocks as it may own (maxBlocksPerHost, default 20).</summary>
    BlockLimitReached,
    /// <summary>The address lies in no configured (enabled) pool.</summary>
    AddressNotInPool,
    /// <summary>The pool of the address does not allow the intended use.</summary>
    UseNotAllowed,
    /// <summary>The address is already assigned.</summary>
    AddressInUse,
    /// <summary>The address is not assigned.</summary>
    AddressNotAssigned,
    /// <summary>The address was released and is still cooling down (ipCooldownSeconds).</summary>
    AddressInCooldown,
    /// <summary>The block belongs to another host and strict affinity forbids borrowing from it.</summary>
    AffinityMismatch,
    /// <summary>A release named a handle or sequence number the allocation no longer has.</summary>
    ReleaseConflict,
    /// <summary>The node the request names is not known.</summary>
    NodeNotFound,
    /// <summary>A pool's node or namespace selector does not parse.</summary>
    InvalidSelector,
    /// <summary>Other writers kept changing the same keys for 100 attempts in a row.</summary>
    TooManyRetries,
}

/// <summary>An IPAM request failed; the message names the address, block, pool or node involved and why.</summary>
public sealed class IpamException : Exception
{
    public IpamException(IpamErrorReason reason, string message, Exception? innerException = null) : base(message, innerException)
    {
        Reason = reason;
    }

    public IpamErrorReason Reason { get; }
}
