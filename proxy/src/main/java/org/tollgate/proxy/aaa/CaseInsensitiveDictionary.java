package org.tollgate.proxy.aaa;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.dictionary.MemoryDictionary;

/**
 * FreeRADIUS finds attribute names regardless of case ({@code Sip-Avp} for {@code SIP-AVP});
 * TinyRadius does not. Exact names still win. (Same idea as aaa-server's; modules share only api/.)
 */
final class CaseInsensitiveDictionary extends MemoryDictionary {

    private final Map<String, AttributeTemplate> byLowerName = new ConcurrentHashMap<>();

    @Override
    public MemoryDictionary addAttributeTemplate(AttributeTemplate template) {
        MemoryDictionary d = super.addAttributeTemplate(template);
        byLowerName.putIfAbsent(template.getName().toLowerCase(Locale.ROOT), template);
        return d;
    }

    @Override
    public Optional<AttributeTemplate> getAttributeTemplate(String name) {
        Optional<AttributeTemplate> exact = super.getAttributeTemplate(name);
        return exact.isPresent() ? exact : Optional.ofNullable(byLowerName.get(name.toLowerCase(Locale.ROOT)));
    }
}
