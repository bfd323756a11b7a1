namespace Calico.Tests.Manifests;

/// <summary>
/// Manifests and the output calicoctl printed for them, copied verbatim. "Seed" texts come from
/// shared/seed/configuring-ip-in-ip.md; "ctl" texts from calicoctl's own convert test data in
/// projectcalico/calico v3.31.7 (the last release with convert), calicoctl/test-data/convert/{input,output}/v1/.
/// </summary>
internal static class CalicoctlVectors
{
    // seed: "Configuring IP-in-IP for all inter-workload traffic"
    public const string SeedAlways = """
        apiVersion: v1
        kind: ipPool
        metadata:
          cidr: 192.168.0.0/16
        spec:
          ipip:
            enabled: true
            mode: always
          nat-outgoing: true

        """;

    // seed: "Configuring cross-subnet IP-in-IP"
    public const string SeedCrossSubnet = """
        apiVersion: v1
        kind: ipPool
        metadata:
          cidr: 192.168.0.0/16
        spec:
          ipip:
            enabled: true
            mode: cross-subnet
          nat-outgoing: true

        """;

    // ctl: input/v1/migration/ippool.yaml
    public const string MigrationIPPoolInput = """
        apiVersion: v1
        kind: ipPool
        metadata:
          cidr: 10.1.0.0/16
        spec:
          ipip:
            enabled: true
            mode: cross-subnet
          nat-outgoing: true
          disabled: false

        """;

    // ctl: output/v1/migration/ippool.yaml
    public const string MigrationIPPoolYaml = """
        apiVersion: projectcalico.org/v3
        kind: IPPool
        metadata:
          creationTimestamp: null
          name: 10-1-0-0-16
        spec:
          allowedUses:
          - Workload
          - Tunnel
          assignmentMode: Automatic
          blockSize: 26
          cidr: 10.1.0.0/16
          ipipMode: CrossSubnet
          natOutgoing: true
          nodeSelector: all()
          vxlanMode: Never

        """;

    // ctl: output/v1/migration/ippool.json
    public const string MigrationIPPoolJson = """
        {
          "kind": "IPPool",
          "apiVersion": "projectcalico.org/v3",
          "metadata": {
            "name": "10-1-0-0-16",
            "creationTimestamp": null
          },
          "spec": {
            "cidr": "10.1.0.0/16",
            "vxlanMode": "Never",
            "ipipMode": "CrossSubnet",
            "natOutgoing": true,
            "blockSize": 26,
            "nodeSelector": "all()",
            "allowedUses": [
              "Workload",
              "Tunnel"
            ],
            "assignmentMode": "Automatic"
          }
        }

        """;

    // ctl: input/v1/migration/node.yaml
    public const string MigrationNodeInput = """
        ## This won't work with KDD
        apiVersion: v1
        kind: node
        metadata:
          name: node-hostname
        spec:
          bgp:
            asNumber: 64512
            ipv4Address: 10.244.0.1/24
            ipv6Address: 2001:db8:85a3::8a2e:370:7334/120

        """;

    // ctl: output/v1/migration/node.yaml
    public const string MigrationNodeYaml = """
        apiVersion: projectcalico.org/v3
        kind: Node
        metadata:
          creationTimestamp: null
          name: node-hostname
        spec:
          bgp:
            asNumber: 64512
            ipv4Address: 10.244.0.1/24
            ipv6Address: 2001:db8:85a3::8a2e:370:7334/120
        status: {}

        """;

    // ctl: output/v1/migration/node.json
    public const string MigrationNodeJson = """
        {
          "kind": "Node",
          "apiVersion": "projectcalico.org/v3",
          "metadata": {
            "name": "node-hostname",
            "creationTimestamp": null
          },
          "spec": {
            "bgp": {
              "asNumber": 64512,
              "ipv4Address": "10.244.0.1/24",
              "ipv6Address": "2001:db8:85a3::8a2e:370:7334/120"
            }
          },
          "status": {}
        }

        """;

    // ctl: input/v1/node.yaml (a top-level YAML list of two nodes)
    public const string NodeListInput = """
        - apiVersion: v1
          kind: node
          metadata:
            name: node1
        - apiVersion: v1
          kind: node
          metadata:
            name: node2
          spec:
            bgp:
              asNumber: 12345
              ipv4Address: 1.2.3.4/24
              ipv6Address: aa::ff

        """;

    // ctl: output/v1/node.yaml (several resources → one List)
    public const string NodeListYaml = """
        apiVersion: v1
        items:
        - apiVersion: projectcalico.org/v3
          kind: Node
          metadata:
            creationTimestamp: null
            name: node1
          spec: {}
          status: {}
        - apiVersion: projectcalico.org/v3
          kind: Node
          metadata:
            creationTimestamp: null
            name: node2
          spec:
            bgp:
              asNumber: 12345
              ipv4Address: 1.2.3.4/24
              ipv6Address: aa::ff/128
          status: {}
        kind: List
        metadata: {}

        """;

    // ctl: output/v1/node.json
    public const string NodeListJson = """
        {
          "kind": "List",
          "apiVersion": "v1",
          "metadata": {},
          "items": [
            {
              "kind": "Node",
              "apiVersion": "projectcalico.org/v3",
              "metadata": {
                "name": "node1",
                "creationTimestamp": null
              },
              "spec": {},
              "status": {}
            },
            {
              "kind": "Node",
              "apiVersion": "projectcalico.org/v3",
              "metadata": {
                "name": "node2",
                "creationTimestamp": null
              },
              "spec": {
                "bgp": {
                  "asNumber": 12345,
                  "ipv4Address": "1.2.3.4/24",
                  "ipv6Address": "aa::ff/128"
                }
              },
              "status": {}
            }
          ]
        }

        """;

    // ctl: input/v1/multi-resource.yaml, its third document (the two ipPools; the bgpPeers before it are kinds
    // this module does not handle). Note the blank line inside the list and the empty spec.
    public const string MultiResourcePoolsInput = """
        - apiVersion: v1
          kind: ipPool
          metadata:
            cidr: 192.168.0.0/16
          spec:
            ipip:
              enabled: true

        - apiVersion: v1
          kind: ipPool
          metadata:
            cidr: 2001::00/120
          spec:

        """;

    // ctl: output/v1/multi-resource.yaml, its two IPPool items, in the List shape calicoctl gives several resources.
    public const string MultiResourcePoolsYaml = """
        apiVersion: v1
        items:
        - apiVersion: projectcalico.org/v3
          kind: IPPool
          metadata:
            creationTimestamp: null
            name: 192-168-0-0-16
          spec:
            allowedUses:
            - Workload
            - Tunnel
            assignmentMode: Automatic
            blockSize: 26
            cidr: 192.168.0.0/16
            ipipMode: Always
            nodeSelector: all()
            vxlanMode: Never
        - apiVersion: projectcalico.org/v3
          kind: IPPool
          metadata:
            creationTimestamp: null
            name: 2001---120
          spec:
            allowedUses:
            - Workload
            - Tunnel
            assignmentMode: Automatic
            blockSize: 122
            cidr: 2001::/120
            ipipMode: Never
            nodeSelector: all()
            vxlanMode: Never
        kind: List
        metadata: {}

        """;
}
