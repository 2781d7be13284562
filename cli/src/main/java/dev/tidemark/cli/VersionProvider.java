package dev.tidemark.cli;

import picocli.CommandLine.IVersionProvider;

/** The version of the {@code tidemark} command, from the manifest of its jar. */
final class VersionProvider implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"tidemark " + (version == null ? "(development build)" : version)};
    }
}
