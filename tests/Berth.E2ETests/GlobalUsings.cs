global using Xunit;
global using Berth.Testing;
