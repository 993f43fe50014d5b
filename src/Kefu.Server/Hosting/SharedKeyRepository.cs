using System.Xml.Linq;
using Kefu.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Kefu.Server.Hosting;

/// <summary>ASP.NET Core's data-protection key repository over the replicas' shared <see cref="PostgresKeyRing"/>.</summary>
internal sealed class SharedKeyRepository(PostgresKeyRing keyRing) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => keyRing.ReadAll().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        keyRing.Store(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
