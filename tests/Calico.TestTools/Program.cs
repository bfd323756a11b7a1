using Calico.TestTools;

// Commands (the datastore tests start these as separate processes):
//   rmw <store> <pool> <increments>   read-modify-write a counter label on an IPPool, retrying on conflict
//   crash-writer <store> <seed>       write random keys forever, printing "ack" after each write returns
//   put <store> <key> <value>         create or overwrite one key
//   ipam-alloc <store> <host> <count> <pool-cidr> <block-size> <handle-prefix>
//                                     auto-assign <count> single addresses for <host>, printing each
return args.Length == 0 ? Usage() : args[0] switch
{
    "rmw" when args.Length == 4 => await Commands.ReadModifyWriteAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)),
    "crash-writer" when args.Length == 3 => await Commands.CrashWriterAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    "put" when args.Length == 4 => await Commands.PutAsync(args[1], args[2], args[3]),
    "ipam-alloc" when args.Length == 7 => await IpamCommands.AllocateAsync(args[1], args[2],
        int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), args[4],
        int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture), args[6]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Calico.TestTools rmw <store> <pool> <n> | crash-writer <store> <seed> | put <store> <key> <value> | ipam-alloc <store> <host> <count> <pool-cidr> <block-size> <handle-prefix>");
    return 2;
}
