namespace Calico.Resources;

/// <summary>When a pool's traffic is IP-in-IP encapsulated. An absent value means Never.</summary>
public enum IPIPMode { Never, Always, CrossSubnet }

/// <summary>When a pool's traffic is VXLAN encapsulated. An absent value means Never.</summary>
public enum VXLANMode { Never, Always, CrossSubnet }

/// <summary>What addresses from a pool may be used for.</summary>
public enum IPPoolAllowedUse { Workload, Tunnel, LoadBalancer }

/// <summary>Whether IPAM hands out a pool's addresses on its own or only when asked for the pool.</summary>
public enum AssignmentMode { Automatic, Manual }
