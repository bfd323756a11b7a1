using Calico.Datastore;

namespace Calico.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Assigns one given address (libcalico-go AssignIP), claiming its block for the host if the block does not exist.
    /// Node selectors and assignment modes do not apply: naming the address is the request.
    /// </summary>
    /// <exception cref="IpamException">The address is in no enabled pool, its pool disallows the use, it is taken,
    /// or strict affinity forbids the block.</exception>
    public async Task AssignIPAsync(AssignIPArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var ct = cancellationToken;
        if (string.IsNullOrEmpty(args.Host)) throw new IpamException(IpamErrorReason.InvalidRequest, $"AssignIP {args.Address}: host must be set");
        var pool = IpamPool.Containing(await EnabledPoolsAsync(Family(args.Address), ct).ConfigureAwait(false), args.Address)
            ?? throw new IpamException(IpamErrorReason.AddressNotInPool, $"The provided IP address {args.Address} is not in a configured pool");
        if (args.IntendedUse is { } use && !pool.Allows(use))
            throw new IpamException(IpamErrorReason.UseNotAllowed,
                $"IP address {args.Address} is in IP pool \"{pool.Name}\", which is not allowed for use \"{use}\" (allowedUses: [{string.Join(' ', pool.AllowedUses)}])");

        var config = await GetConfigAsync(ct).ConfigureAwait(false);
        var cidr = pool.BlockFor(args.Address);
        var affinity = BlockClaims.HostAffinity(args.Host);
        for (var attempt = 0; attempt < DatastoreRetries; attempt++)
        {
            var stored = await _store.GetBlockAsync(cidr, ct).ConfigureAwait(false);
            if (stored is null)
            {
                try
                {
                    var pending = await _claims.GetPendingAffinityAsync(args.Host, cidr, ct).ConfigureAwait(false);
                    stored = await _claims.ClaimAffineBlockAsync(pending, config, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ResourceConflictException or BlockClaimConflictException)
                {
                    // Someone else claimed the block before us; it exists now.
                    continue;
                }
            }
            stored.Block.CollectGarbage(config.IPCooldownSeconds, _clock.GetUtcNow());
            stored.Block.Assign(args.Address, args.HandleId, args.Attributes, affinity, config.StrictAffinity);
            try
            {
                await WriteWithHandleAsync(stored, args.HandleId, 1, ct).ConfigureAwait(false);
                return;
            }
            catch (ResourceConflictException)
            {
            }
        }
        throw TooManyRetries($"assigning {args.Address}");
    }
}
