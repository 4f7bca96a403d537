global using Xunit;
global using Berth.Testing;
global using Berth.Testing.Server;
global using k8s;
