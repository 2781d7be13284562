package dev.tidemark.bench.peers;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PeerCheckTest
{
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Peer.class)
    void everyAdapterPassesTheCorrectnessCheck(final Peer peer)
    {
        PeerCheck.check(peer, directory);
    }
}
